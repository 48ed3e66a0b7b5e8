package org.ohifgateway.security;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.ohifgateway.http.PublicOrigin;

/**
 * The hosts the gateway answers to. The host a request names ends up in the URLs Orthanc writes
 * into its answers, in redirects and in the same-origin check of changes, so a request naming a
 * host the hospital did not list (Host: evil.example) is refused, and so is one naming two.
 */
public final class KnownHosts {

    /** Answered when no origin is configured: a gateway that is only tried out on its own machine. */
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private final Set<PublicOrigin> origins;

    /** @param origins the configured public origins; none: loopback names only */
    public KnownHosts(Set<PublicOrigin> origins) {
        this.origins = Set.copyOf(origins);
    }

    /**
     * @param host        the host the request names (its Host header or HTTP/2 authority, or what a trusted proxy reports)
     * @param hostHeaders how many Host headers the request has
     * @return why the request is refused, if it is
     */
    public Optional<String> refusal(String scheme, String host, int port, int hostHeaders) {
        if (hostHeaders > 1) {
            return Optional.of("A request names one host.");
        }
        String lower = host == null ? "" : host.toLowerCase(Locale.ROOT);
        boolean known = origins.isEmpty() ? LOOPBACK.contains(lower)
                : PublicOrigin.exactly(scheme, lower, port).filter(origins::contains).isPresent();
        return known ? Optional.empty() : Optional.of("This gateway does not answer to that host name.");
    }
}
