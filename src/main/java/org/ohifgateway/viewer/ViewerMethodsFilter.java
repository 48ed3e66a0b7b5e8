package org.ohifgateway.viewer;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.http.ErrorReply;
import org.ohifgateway.http.RejectedRequest;

/**
 * The viewer's files and pages are only read: any method but GET and HEAD (OPTIONS, TRACE, PUT,
 * an invented one) gets 405 with Allow, in the gateway's words, rather than the server's answer.
 * web.xml maps it to every servlet but the archive routes, which name their own methods.
 */
public class ViewerMethodsFilter extends HttpFilter {

    private static final List<String> METHODS = List.of("GET", "HEAD");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!METHODS.contains(request.getMethod())) {
            ErrorReply.send(request, response,
                    RejectedRequest.methodNotAllowed("The viewer's files can only be read.", METHODS));
            return;
        }
        chain.doFilter(request, response);
    }
}
