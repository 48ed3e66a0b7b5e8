package org.ohifgateway.security;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.UnsupportedCallbackException;

import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.MessagePolicy;
import jakarta.security.auth.message.callback.CallerPrincipalCallback;
import jakarta.security.auth.message.callback.GroupPrincipalCallback;
import jakarta.security.auth.message.callback.PasswordValidationCallback;
import jakarta.security.auth.message.module.ServerAuthModule;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.http.BasicLogin;
import org.ohifgateway.http.BasicLogin.Credentials;
import org.ohifgateway.http.Roles;

/**
 * The BASIC login of web.xml, as a Jakarta Authentication module that asks the server's realm
 * only for logins it has not accepted within {@link KeptLogins}' time. Everything else is as the
 * container's own BASIC login: only paths that need a login look at credentials, the realm
 * decides and its groups become the roles (an empty password is refused without asking it), and
 * a refused or missing login is a 401 with the
 * challenge, which the container's error page counts and answers ({@link RefusalServlet}).
 */
public class BasicLoginModule implements ServerAuthModule {

    /** Set by the container when the request's path needs a login (Jakarta Authentication's Servlet profile). */
    private static final String MANDATORY = "jakarta.security.auth.message.MessagePolicy.isMandatory";

    private final KeptLogins kept;
    private final ServerRealm realm;
    private CallbackHandler server;

    public BasicLoginModule(KeptLogins kept, ServerRealm realm) {
        this.kept = kept;
        this.realm = realm;
    }

    @Override
    public void initialize(MessagePolicy requestPolicy, MessagePolicy responsePolicy, CallbackHandler handler,
                           @SuppressWarnings("rawtypes") Map options) {
        server = handler;
    }

    @Override
    public Class<?>[] getSupportedMessageTypes() {
        return new Class<?>[] {HttpServletRequest.class, HttpServletResponse.class};
    }

    @Override
    public AuthStatus validateRequest(MessageInfo message, Subject client, Subject service) throws AuthException {
        if (!Boolean.parseBoolean(String.valueOf(message.getMap().get(MANDATORY)))) {
            // As the container's login: credentials count only where a login is needed.
            return AuthStatus.SUCCESS;
        }
        HttpServletRequest request = (HttpServletRequest) message.getRequestMessage();
        HttpServletResponse response = (HttpServletResponse) message.getResponseMessage();
        Optional<Credentials> login = BasicLogin.credentials(request.getHeader("Authorization"));
        if (login.isEmpty()) {
            return challenge(response);
        }
        if (login.get().password().isEmpty()) {
            // Some directories take a bind with an empty password for an anonymous one, and accept it.
            return challenge(response);
        }
        Optional<Set<String>> groups = kept.groupsOf(login.get());
        if (groups.isPresent()) {
            ask(new CallerPrincipalCallback(client, login.get().user()),
                    new GroupPrincipalCallback(client, groups.get().toArray(String[]::new)));
            return AuthStatus.SUCCESS;
        }
        long mark = kept.beforeCheck();
        PasswordValidationCallback check = new PasswordValidationCallback(client, login.get().user(),
                login.get().password().toCharArray());
        try {
            ask(check);
        } finally {
            check.clearPassword();
        }
        if (!check.getResult()) {
            return challenge(response);
        }
        try {
            kept.keep(mark, login.get(), realm.groupsOf(client));
        } catch (ServerRealm.RealmException notKept) {
            // The login stands; it is checked again next time.
        }
        return AuthStatus.SUCCESS;
    }

    @Override
    public AuthStatus secureResponse(MessageInfo message, Subject service) {
        return AuthStatus.SEND_SUCCESS;
    }

    @Override
    public void cleanSubject(MessageInfo message, Subject subject) {
        if (subject != null) {
            subject.getPrincipals().clear();
        }
    }

    private void ask(Callback... callbacks) throws AuthException {
        try {
            server.handle(callbacks);
        } catch (IOException | UnsupportedCallbackException e) {
            throw (AuthException) new AuthException("the server could not check a login: " + e).initCause(e);
        }
    }

    private static AuthStatus challenge(HttpServletResponse response) throws AuthException {
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + Roles.REALM + "\"");
        try {
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
        } catch (IOException e) {
            throw (AuthException) new AuthException("the login challenge could not be sent: " + e).initCause(e);
        }
        return AuthStatus.SEND_CONTINUE;
    }
}
