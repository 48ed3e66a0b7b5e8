package org.ohifgateway.http;

import java.lang.reflect.Field;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;

/**
 * What the Servlet API cannot do with a client's connection, done on Payara's (GlassFish's)
 * Grizzly connector by reaching its request under the container's response facade, and for
 * {@link #cut} also on WildFly's Undertow through the exchange of the request this thread serves.
 * On other containers each call reports false and the caller falls back on what they do by
 * themselves.
 */
public final class ServerConnection {

    private ServerConnection() {
    }

    /**
     * Cuts the connection at once, when a proxied body breaks off after its headers were sent.
     * Otherwise the container ends a chunked body with its final chunk and the client takes a
     * truncated study for a complete one. Containers such as Tomcat abort the connection when the
     * caller rethrows instead.
     */
    public static boolean cut(ServletResponse response) {
        try {
            call(call(grizzlyRequest(response), "getConnection"), "closeSilently");
            return true;
        } catch (ReflectiveOperationException | RuntimeException notGrizzly) {
            return cutUndertow();
        }
    }

    /**
     * Undertow finishes a chunked body even when the servlet rethrows: its connection is closed
     * instead, with a TCP reset (XNIO's CLOSE_ABORT). To a request with {@code Connection: close}
     * Undertow answers without chunks, ending the body at the connection's end, so a plain close
     * would look like a complete body; the reset does not. On HTTP/2 the close resets only the
     * request's stream and the option does nothing.
     */
    private static boolean cutUndertow() {
        try {
            ClassLoader loader = ServerConnection.class.getClassLoader();
            Object context = Class.forName("io.undertow.servlet.handlers.ServletRequestContext", true, loader)
                    .getMethod("current").invoke(null);
            Object exchange = context.getClass().getMethod("getExchange").invoke(context);
            Object connection = Class.forName("io.undertow.server.HttpServerExchange", true, loader)
                    .getMethod("getConnection").invoke(exchange);
            Class<?> serverConnection = Class.forName("io.undertow.server.ServerConnection", true, loader);
            ClassLoader undertow = serverConnection.getClassLoader();
            Class<?> option = Class.forName("org.xnio.Option", true, undertow);
            Object closeAbort = Class.forName("org.xnio.Options", true, undertow).getField("CLOSE_ABORT").get(null);
            serverConnection.getMethod("setOption", option, Object.class).invoke(connection, closeAbort, Boolean.TRUE);
            serverConnection.getMethod("close").invoke(connection);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError notUndertow) {
            return false;
        }
    }

    /**
     * Drops what the client sent on the connection after this request. Grizzly goes on parsing
     * the bytes it has already received after a request, even once the answer closed the
     * connection, and hands them on as further requests; marking the request's body as broken is
     * what makes it stop reading the connection. Other containers stop reading at the answer's
     * {@code Connection: close}.
     */
    public static boolean dropWhatFollows(ServletResponse response) {
        try {
            Object packet = call(grizzlyRequest(response), "getRequest");
            packet.getClass().getMethod("setContentBroken", boolean.class).invoke(packet, true);
            return true;
        } catch (ReflectiveOperationException | RuntimeException notGrizzly) {
            return false;
        }
    }

    private static Object grizzlyRequest(ServletResponse response) throws ReflectiveOperationException {
        ServletResponse inner = response;
        while (inner instanceof ServletResponseWrapper wrapper) {
            inner = wrapper.getResponse();
        }
        Field facadeTarget = inner.getClass().getDeclaredField("response");
        facadeTarget.setAccessible(true);
        return call(call(facadeTarget.get(inner), "getCoyoteResponse"), "getRequest");
    }

    private static Object call(Object target, String method) throws ReflectiveOperationException {
        return target.getClass().getMethod(method).invoke(target);
    }
}
