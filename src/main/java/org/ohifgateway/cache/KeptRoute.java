package org.ohifgateway.cache;

import java.io.OutputStream;

import org.ohifgateway.http.PublicOrigin;

/**
 * The route whose answers are kept, as the cache needs it: where Orthanc has a resource, and how
 * the absolute URLs Orthanc writes for one client's origin become another client's.
 */
public interface KeptRoute {

    /** The path on Orthanc, from its root, of a resource below the route, with the query (may be null). */
    String upstream(String path, String query);

    /** Whether an answer Orthanc wrote for a client at {@code asked} has other URLs than one at {@code client} must get. */
    boolean rewrites(PublicOrigin asked, PublicOrigin client);

    /** A stream that turns the URLs of an answer written for {@code asked} into those of {@code client} on their way to {@code out}. */
    OutputStream rewriting(PublicOrigin asked, PublicOrigin client, OutputStream out);
}
