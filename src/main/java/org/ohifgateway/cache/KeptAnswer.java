package org.ohifgateway.cache;

import org.ohifgateway.http.PublicOrigin;

/**
 * An answer of Orthanc's kept for reuse: its body in gzip form with the URLs Orthanc wrote for a
 * client at {@code origin}, and what to ask Orthanc to know it still holds.
 *
 * @param scope see {@link KeptResource#scope}
 * @param stamp what the store marked the answer with before Orthanc was asked for it (see {@link AnswerStore#stamp})
 */
record KeptAnswer(byte[] gzip, String contentType, PublicOrigin origin, String scope, Validity validity,
                  String stamp) {

    /** What a kept entry costs besides its body: the key, the record, the map entries (a generous estimate). */
    static final int OVERHEAD_BYTES = 512;

    long size() {
        return gzip.length + OVERHEAD_BYTES;
    }

    /** The same answer, with the URLs of another origin. */
    KeptAnswer forOrigin(byte[] otherGzip, PublicOrigin other) {
        return new KeptAnswer(otherGzip, contentType, other, scope, validity, stamp);
    }

    /**
     * How to tell that a kept answer still holds, besides the change feed: Orthanc 1.10 does not
     * log deletions, so what was deleted shows only as fewer instances.
     */
    sealed interface Validity {
    }

    /** The number of instances Orthanc had under one of its series or studies when the answer was asked for. */
    record InstanceCount(Archive.Level level, String orthancId, long count) implements Validity {
    }

    /** The archive's counts when the answer was asked for (a search spans the whole archive). */
    record ArchiveCounts(Archive.Counts counts) implements Validity {
    }
}
