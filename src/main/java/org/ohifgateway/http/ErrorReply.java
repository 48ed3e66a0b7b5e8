package org.ohifgateway.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A short error answer in the format the client reads: JSON for API clients such as OHIF's
 * DICOMweb client, HTML for a browser tab, plain text otherwise. Never a stack trace or an
 * internal address.
 */
public final class ErrorReply {

    private ErrorReply() {
    }

    /** Sends the refusal's answer, with the methods the resource offers when the refusal is a 405. */
    public static void send(HttpServletRequest request, HttpServletResponse response, RejectedRequest refusal)
            throws IOException {
        if (!refusal.allowedMethods().isEmpty() && !response.isCommitted()) {
            response.setHeader("Allow", String.join(", ", refusal.allowedMethods()));
        }
        send(request, response, refusal.status(), refusal.getMessage());
    }

    /** Sends the answer with the request's {@link RequestId}, unless an answer is already under way. */
    public static void send(HttpServletRequest request, HttpServletResponse response, int status,
                            String message) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        String requestId = RequestId.of(request);
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        if (status == HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE) {
            // Closing is cheaper than reading the rest of a body that will not be used.
            response.setHeader("Connection", "close");
        }
        String accept = String.valueOf(request.getHeader("Accept"));
        String body;
        if (accept.contains("json")) {
            response.setContentType("application/json");
            body = "{\"status\":" + status + ",\"error\":\"" + jsonEscape(message)
                    + "\",\"requestId\":\"" + requestId + "\"}\n";
        } else if (accept.contains("text/html")) {
            response.setContentType("text/html");
            body = "<!doctype html><title>" + status + "</title><h1>" + status + "</h1><p>" + htmlEscape(message)
                    + "</p><p>Request id: " + requestId + "</p>\n";
        } else {
            response.setContentType("text/plain");
            body = status + " " + message + "\nRequest id: " + requestId + "\n";
        }
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(bytes);
        }
    }

    private static String jsonEscape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String htmlEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
