package org.ohifgateway.upstream;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The Orthanc nodes requests are spread over, in turn over those that answer: a node is taken out
 * as soon as its check or a request cannot reach it, or its check gets no answer in time, and back
 * when its check answers again. When every node is out, requests go in turn to those only slow,
 * else to all: none is better, and a node the others' load were piled onto would only get slower.
 */
public final class OrthancNodes {

    private static final Logger LOG = Logger.getLogger(OrthancNodes.class.getName());

    /**
     * What the gateway knows of a node.
     *
     * @param since when it was last taken out or back
     * @param reason why it is out; empty while it is in
     * @param late whether it is out only for answering too late: busy, but reached
     */
    public record State(URI url, boolean up, Instant since, String reason, boolean late) {

        /**
         * Whether the gateway can serve through this node: it is in, or only slow. A busy archive
         * is no reason for a load balancer to take gateways out: every gateway shares it, and
         * taking them all out would turn slow answers into none.
         */
        public boolean serves() {
            return up || late;
        }
    }

    /** One try of a request on a node. */
    public interface Attempt<T> {
        T on(URI node) throws IOException;
    }

    private final List<URI> nodes;
    private final Clock clock;
    private final Map<URI, State> states = new ConcurrentHashMap<>();
    private final AtomicInteger turn = new AtomicInteger();

    /** All nodes in until found otherwise, so requests flow before the first check. */
    public OrthancNodes(List<URI> nodes, Clock clock) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no Orthanc node");
        }
        this.nodes = List.copyOf(nodes);
        this.clock = clock;
        Instant now = clock.instant();
        this.nodes.forEach(node -> states.put(node, new State(node, true, now, "", false)));
    }

    public List<URI> all() {
        return nodes;
    }

    /** The default node, the first configured: where requests go when no node answers. */
    public URI first() {
        return nodes.get(0);
    }

    /** Whether there is more than one node to choose from. */
    public boolean several() {
        return nodes.size() > 1;
    }

    /** The node the next request goes to. */
    public URI next() {
        return nextExcept(List.of()).orElseGet(() -> {
            // nextExcept has moved the turn on already.
            List<URI> slow = nodes.stream().filter(node -> states.get(node).serves()).toList();
            List<URI> candidates = slow.isEmpty() ? nodes : slow;
            return candidates.get(Math.floorMod(turn.get(), candidates.size()));
        });
    }

    /** The next node that is in and not yet tried, if any. */
    public Optional<URI> nextExcept(Collection<URI> tried) {
        int start = Math.floorMod(turn.getAndIncrement(), nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            URI node = nodes.get((start + i) % nodes.size());
            if (states.get(node).up() && !tried.contains(node)) {
                return Optional.of(node);
            }
        }
        return Optional.empty();
    }

    /** Takes a node out (it could not be reached); a node already out keeps the time it went out. */
    public void down(URI node, String reason) {
        down(node, reason, false);
    }

    /**
     * Takes a node out; a node already out keeps the time it went out, and takes the new reason
     * when it went from slow to unreachable or back, which decides whether it still serves.
     *
     * @param late whether it was reached but did not answer in time
     */
    public void down(URI node, String reason, boolean late) {
        State before = states.get(node);
        if (before == null) {
            return;
        }
        if (before.up()) {
            if (states.replace(node, before, new State(node, false, clock.instant(), reason, late))) {
                LOG.warning(() -> "Orthanc node " + node + " taken out: " + reason);
            }
        } else if (before.late() != late
                && states.replace(node, before, new State(node, false, before.since(), reason, late))) {
            LOG.warning(() -> "Orthanc node " + node + ", out since " + before.since() + ", now: " + reason);
        }
    }

    /** Takes a node back in (it answered). */
    public void up(URI node) {
        State before = states.get(node);
        if (before != null && !before.up()) {
            if (states.replace(node, before, new State(node, true, clock.instant(), "", false))) {
                LOG.info(() -> "Orthanc node " + node + " answers again, back in after " + before.reason());
            }
        }
    }

    /** Each node's state, in the order configured. */
    public List<State> states() {
        return nodes.stream().map(states::get).toList();
    }

    /**
     * Runs a request on the next node, and on another after a failure before any answer arrived
     * while {@link Failover} allows and an untried node is in. A node the request could not reach
     * is taken out.
     *
     * @param read whether the request is a GET or HEAD
     */
    public <T> T call(boolean read, Attempt<T> attempt) throws IOException {
        List<URI> tried = new ArrayList<>();
        URI node = next();
        while (true) {
            tried.add(node);
            try {
                return attempt.on(node);
            } catch (IOException e) {
                // One node alone is asked whatever its state, so there is nothing to take out.
                if (several() && Failover.unreachable(e)) {
                    down(node, Failover.reason(e));
                }
                Optional<URI> other = Failover.retries(read, e) ? nextExcept(tried) : Optional.empty();
                if (other.isEmpty()) {
                    throw e;
                }
                URI failed = node;
                LOG.fine(() -> "Orthanc node " + failed + " failed (" + e + "), asking " + other.get());
                node = other.get();
            }
        }
    }
}
