package org.ohifgateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.http.NoHttpResponseException;
import org.apache.http.conn.ConnectTimeoutException;
import org.junit.jupiter.api.Test;
import org.ohifgateway.security.TestClock;

class OrthancNodesTest {

    private static final URI A = URI.create("http://10.0.0.1:8042");
    private static final URI B = URI.create("http://10.0.0.2:8042");
    private static final URI C = URI.create("http://10.0.0.3:8042");

    private final TestClock clock = new TestClock();
    private final OrthancNodes nodes = new OrthancNodes(List.of(A, B, C), clock);

    private List<URI> next(int count) {
        List<URI> chosen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chosen.add(nodes.next());
        }
        return chosen;
    }

    @Test
    void requestsGoToEachNodeInTurn() {
        assertEquals(List.of(A, B, C, A, B, C), next(6));
    }

    @Test
    void aNodeOutGetsNothingUntilItIsBack() {
        clock.now = clock.now.plusSeconds(5);
        nodes.down(B, "connection refused");
        assertEquals(List.of(A, C, C, A), next(4));
        OrthancNodes.State out = nodes.states().get(1);
        assertEquals(new OrthancNodes.State(B, false, clock.now, "connection refused", false), out);

        clock.now = clock.now.plusSeconds(3);
        nodes.down(B, "HTTP 503");
        assertEquals(out, nodes.states().get(1), "a node already out keeps when and why it went out");

        nodes.up(B);
        assertEquals(new OrthancNodes.State(B, true, clock.now, "", false), nodes.states().get(1));
        assertEquals(Set.of(A, B, C), Set.copyOf(next(3)));
    }

    @Test
    void withEveryNodeOutRequestsGoToAllInTurnRatherThanPileOntoOne() {
        nodes.down(A, "x");
        nodes.down(B, "x");
        nodes.down(C, "x");
        assertEquals(Set.of(A, B, C), Set.copyOf(next(3)));
        assertTrue(nodes.nextExcept(List.of()).isEmpty());
        assertTrue(nodes.states().stream().noneMatch(OrthancNodes.State::serves), "no node to serve through");
    }

    @Test
    void aNodeOutForSlowAnswersStillServesAndIsPreferredToOneThatCannotBeReached() {
        nodes.down(A, "no answer in time", true);
        nodes.down(B, "connection refused");
        assertEquals(List.of(C, C), next(2));
        nodes.down(C, "no answer in time", true);
        assertEquals(Set.of(A, C), Set.copyOf(next(4)), "the slow ones, in turn");
        assertEquals(List.of(true, false, true), nodes.states().stream().map(OrthancNodes.State::serves).toList());
    }

    @Test
    void aSlowNodeThatStopsAnsweringNoLongerServes() {
        clock.now = clock.now.plusSeconds(5);
        Instant out = clock.now;
        nodes.down(A, "no answer in time", true);
        clock.now = clock.now.plusSeconds(3);
        nodes.down(A, "connection refused");
        assertEquals(new OrthancNodes.State(A, false, out, "connection refused", false), nodes.states().get(0),
                "out since it went out, now for being unreachable");
        nodes.down(A, "no answer in time", true);
        assertTrue(nodes.states().get(0).serves(), "reached again, only slow");
    }

    @Test
    void aReadGoesToAnotherNodeWhenItsNodeCannotBeReached() throws IOException {
        List<URI> asked = new ArrayList<>();
        URI answeredBy = nodes.call(true, node -> {
            asked.add(node);
            if (node.equals(A)) {
                throw new ConnectException("Connection refused");
            }
            return node;
        });
        assertEquals(List.of(A, B), asked);
        assertEquals(B, answeredBy);
        assertFalse(nodes.states().get(0).up(), "the node a request could not reach is out at once");
        assertEquals("connection refused", nodes.states().get(0).reason());
    }

    @Test
    void aReadIsAskedOnceOnEachNodeAtMost() {
        List<URI> asked = new ArrayList<>();
        ConnectException refused = new ConnectException("Connection refused");
        IOException thrown = assertThrows(IOException.class, () -> nodes.call(true, node -> {
            asked.add(node);
            throw refused;
        }));
        assertSame(refused, thrown);
        assertEquals(List.of(A, B, C), asked);
    }

    @Test
    void anUploadThatMayHaveReachedOrthancIsNeverSentAgain() {
        for (IOException failure : List.of(new NoHttpResponseException("closed"), new SocketException("Connection reset"),
                new SocketTimeoutException("Read timed out"))) {
            List<URI> asked = new ArrayList<>();
            assertThrows(failure.getClass(), () -> nodes.call(false, node -> {
                asked.add(node);
                throw failure;
            }));
            assertEquals(1, asked.size(), failure.toString());
        }
        assertTrue(nodes.states().stream().allMatch(OrthancNodes.State::up),
                "a node that was reached stays in; its check decides");
    }

    @Test
    void anUploadThatNeverReachedANodeGoesToAnother() throws IOException {
        List<URI> asked = new ArrayList<>();
        nodes.call(false, node -> {
            asked.add(node);
            if (asked.size() == 1) {
                throw new ConnectException("Connection refused");
            }
            return node;
        });
        assertEquals(2, asked.size());
    }

    @Test
    void oneNodeAloneIsAskedWhateverItsState() {
        OrthancNodes one = new OrthancNodes(List.of(A), clock);
        assertThrows(ConnectException.class, () -> one.call(true, node -> {
            throw new ConnectException("Connection refused");
        }));
        assertTrue(one.states().get(0).up(), "nothing checks a single node, so nothing takes it out");
        assertEquals(A, one.next());
        assertFalse(one.several());
    }

    @Test
    void failoverRetriesReadsOnlyForFailuresBeforeAnyAnswer() {
        assertTrue(Failover.retries(true, new NoHttpResponseException("closed")));
        assertTrue(Failover.retries(true, new SocketException("Connection reset")));
        assertTrue(Failover.retries(false, new ConnectException("refused")));
        assertFalse(Failover.retries(true, new SocketTimeoutException("slow")), "a slow node is not asked twice");
        assertFalse(Failover.retries(false, new SocketException("Connection reset")));
        assertTrue(Failover.unreachable(new ConnectTimeoutException("t")));
        assertEquals("connection timed out", Failover.reason(new ConnectTimeoutException("t")));
    }
}
