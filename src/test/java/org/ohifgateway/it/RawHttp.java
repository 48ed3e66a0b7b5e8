package org.ohifgateway.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 written byte for byte, for request targets and framing that a client library would
 * normalise or refuse to send. One request per connection, the answer read up to its
 * Content-Length or until the server closes; or an {@link Exchange} of whatever the server sends
 * until it closes.
 */
final class RawHttp {

    /** A status line; not only at a line's start, since an answer follows the previous one's body directly. */
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] ([0-9]{3}) ");

    /** Status 0: the server closed the connection without an answer. */
    record Reply(int status, Map<String, String> headers, String body) {
    }

    private RawHttp() {
    }

    static Reply send(int port, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        return sendHead(port, head.toString(), body);
    }

    /** A request whose head (request line, headers, blank line) is written exactly as given. */
    static Reply sendHead(int port, String head, byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /** Everything the server sent on one connection, and whether it closed the connection. */
    record Exchange(String received, boolean closedByServer) {

        /** The status of each answer, in order (the bodies must not quote a status line). */
        List<Integer> statuses() {
            List<Integer> statuses = new ArrayList<>();
            Matcher line = STATUS_LINE.matcher(received);
            while (line.find()) {
                statuses.add(Integer.parseInt(line.group(1)));
            }
            return statuses;
        }
    }

    /**
     * Writes the bytes (one request or several back to back) at once and reads until the server
     * closes the connection, or for at most the given seconds when it keeps it open.
     */
    static Exchange exchange(int port, byte[] bytes, int seconds) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(seconds * 1000);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            boolean closed;
            try {
                received.writeBytes(socket.getInputStream().readAllBytes());
                closed = true;
            } catch (SocketTimeoutException open) {
                closed = false;
            } catch (java.net.SocketException reset) {
                closed = true;
            }
            return new Exchange(received.toString(StandardCharsets.ISO_8859_1), closed);
        }
    }

    /** Reads up to the end of the answer: its Content-Length if it has one, else until the server closes. */
    private static Reply read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int read;
        try {
            while (!complete(all) && (read = in.read(buffer)) != -1 && all.size() < 1 << 20) {
                all.write(buffer, 0, read);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // whatever arrived is the answer
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) {
            return new Reply(0, Map.of(), text);
        }
        Map<String, String> headers = headers(text.substring(0, end));
        return new Reply(Integer.parseInt(text.substring(0, end).split(" ")[1]), headers, text.substring(end + 4));
    }

    private static boolean complete(ByteArrayOutputStream received) {
        String text = received.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String length = headers(text.substring(0, end)).get("content-length");
        return length != null && text.length() - end - 4 >= Long.parseLong(length);
    }

    private static Map<String, String> headers(String head) {
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }
}
