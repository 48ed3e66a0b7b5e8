package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;

import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.callback.CallerPrincipalCallback;
import jakarta.security.auth.message.callback.GroupPrincipalCallback;
import jakarta.security.auth.message.callback.PasswordValidationCallback;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BasicLoginModuleTest {

    /** The server's side: checks passwords against one user, and records what it was asked. */
    private final List<Callback> asked = new ArrayList<>();
    private final KeptLogins kept = new KeptLogins(Duration.ofSeconds(30), () -> 0);
    private final ServerRealm realm = mock(ServerRealm.class);
    private final BasicLoginModule module = new BasicLoginModule(kept, realm);
    private final HttpServletRequest request = mock(HttpServletRequest.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);

    @BeforeEach
    void server() throws Exception {
        module.initialize(null, null, callbacks -> {
            for (Callback callback : callbacks) {
                asked.add(callback);
                if (callback instanceof PasswordValidationCallback check) {
                    check.setResult(check.getUsername().equals("ann") && new String(check.getPassword()).equals("right"));
                    if (check.getResult()) {
                        check.getSubject().getPrincipals().add(named("viewer"));
                    }
                }
            }
        }, Map.of());
        when(realm.groupsOf(any()))
                .thenAnswer(call -> Set.of(((Subject) call.getArgument(0)).getPrincipals().iterator().next().getName()));
    }

    private static Principal named(String name) {
        return () -> name;
    }

    private AuthStatus login(boolean mandatory, String credentials) throws Exception {
        when(request.getHeader("Authorization")).thenReturn(credentials == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        Map<String, Object> map = new HashMap<>();
        map.put("jakarta.security.auth.message.MessagePolicy.isMandatory", Boolean.toString(mandatory));
        MessageInfo message = mock(MessageInfo.class);
        when(message.getMap()).thenReturn(map);
        when(message.getRequestMessage()).thenReturn(request);
        when(message.getResponseMessage()).thenReturn(response);
        return module.validateRequest(message, new Subject(), new Subject());
    }

    @Test
    void theFirstLoginIsCheckedByTheRealmAndLaterOnesCarryItsGroups() throws Exception {
        assertEquals(AuthStatus.SUCCESS, login(true, "ann:right"));
        assertEquals(1, asked.size());
        assertTrue(asked.get(0) instanceof PasswordValidationCallback);
        char[] left = ((PasswordValidationCallback) asked.get(0)).getPassword();
        assertTrue(left == null || !new String(left).contains("right"), "the password is wiped after the check");
        asked.clear();

        assertEquals(AuthStatus.SUCCESS, login(true, "ann:right"));
        assertEquals(2, asked.size(), "no password check: " + asked);
        assertEquals("ann", ((CallerPrincipalCallback) asked.get(0)).getName());
        assertArrayEquals(new String[] {"viewer"}, ((GroupPrincipalCallback) asked.get(1)).getGroups());
    }

    @Test
    void aWrongOrMissingLoginIsChallengedAndNeverKept() throws Exception {
        assertEquals(AuthStatus.SEND_CONTINUE, login(true, "ann:wrong"));
        assertEquals(AuthStatus.SEND_CONTINUE, login(true, "ann:wrong"));
        assertEquals(2, asked.stream().filter(PasswordValidationCallback.class::isInstance).count(), "each checked");
        assertEquals(AuthStatus.SEND_CONTINUE, login(true, null));
        assertEquals(AuthStatus.SEND_CONTINUE, login(true, "ann"));
        assertEquals(AuthStatus.SEND_CONTINUE, login(true, "ann:"));
        assertEquals(2, asked.size(), "nothing to check without a password, nor with an empty one");
        verify(response, times(5)).setHeader("WWW-Authenticate", "Basic realm=\"ohif-gateway\"");
        verify(response, times(5)).sendError(401);
    }

    @Test
    void whereNoLoginIsNeededCredentialsAreNotLookedAt() throws Exception {
        assertEquals(AuthStatus.SUCCESS, login(false, "ann:wrong"));
        assertEquals(AuthStatus.SUCCESS, login(false, null));
        assertTrue(asked.isEmpty());
        verify(response, never()).sendError(anyInt());
        verify(response, never()).setHeader(anyString(), anyString());
    }

    @Test
    void aRealmThatCannotTellGroupsLeavesTheLoginCheckedEachTime() throws Exception {
        doThrow(new ServerRealm.RealmException("not here")).when(realm).groupsOf(any());
        assertEquals(AuthStatus.SUCCESS, login(true, "ann:right"));
        assertEquals(AuthStatus.SUCCESS, login(true, "ann:right"));
        assertEquals(2, asked.stream().filter(PasswordValidationCallback.class::isInstance).count());
    }
}
