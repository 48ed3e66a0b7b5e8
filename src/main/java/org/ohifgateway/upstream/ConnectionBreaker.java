package org.ohifgateway.upstream;

import java.lang.reflect.Field;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;

/**
 * Cuts the client's connection when a proxied body breaks off after its headers were sent.
 * Otherwise the container ends a chunked body with its final chunk and the client takes a
 * truncated study for a complete one. The Servlet API has no call for this, so it reaches the
 * connection of Payara's (GlassFish's) Grizzly connector; on other containers it reports false
 * and the caller rethrows, which containers such as Tomcat answer by aborting the connection.
 */
final class ConnectionBreaker {

    private ConnectionBreaker() {
    }

    static boolean breakConnection(ServletResponse response) {
        ServletResponse inner = response;
        while (inner instanceof ServletResponseWrapper wrapper) {
            inner = wrapper.getResponse();
        }
        try {
            Field facadeTarget = inner.getClass().getDeclaredField("response");
            facadeTarget.setAccessible(true);
            Object catalinaResponse = facadeTarget.get(inner);
            Object grizzlyResponse = catalinaResponse.getClass().getMethod("getCoyoteResponse").invoke(catalinaResponse);
            Object grizzlyRequest = grizzlyResponse.getClass().getMethod("getRequest").invoke(grizzlyResponse);
            Object connection = grizzlyRequest.getClass().getMethod("getConnection").invoke(grizzlyRequest);
            connection.getClass().getMethod("closeSilently").invoke(connection);
            return true;
        } catch (ReflectiveOperationException | RuntimeException notGrizzly) {
            return false;
        }
    }
}
