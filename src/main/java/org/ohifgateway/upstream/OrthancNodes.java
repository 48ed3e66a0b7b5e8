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
 * as soon as its check or a request cannot reach it, and back when its check answers again. When
 * no node answers, requests go to the first (the default), as they would with one Orthanc.
 */
public final class OrthancNodes {

    private static final Logger LOG = Logger.getLogger(OrthancNodes.class.getName());

    /**
     * What the gateway knows of a node.
     *
     * @param since when it was last taken out or back
     * @param reason why it is out; empty while it is in
     */
    public record State(URI url, boolean up, Instant since, String reason) {
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
        this.nodes.forEach(node -> states.put(node, new State(node, true, now, "")));
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
        return nextExcept(List.of()).orElse(first());
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

    /** Takes a node out (it did not answer); a node already out keeps the time it went out. */
    public void down(URI node, String reason) {
        State before = states.get(node);
        if (before != null && before.up()) {
            if (states.replace(node, before, new State(node, false, clock.instant(), reason))) {
                LOG.warning(() -> "Orthanc node " + node + " taken out: " + reason);
            }
        }
    }

    /** Takes a node back in (it answered). */
    public void up(URI node) {
        State before = states.get(node);
        if (before != null && !before.up()) {
            if (states.replace(node, before, new State(node, true, clock.instant(), ""))) {
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
