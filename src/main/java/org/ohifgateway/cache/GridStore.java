package org.ohifgateway.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.TouchedExpiryPolicy;


import org.ohifgateway.config.ServerGrid;
import org.ohifgateway.http.PublicOrigin;

/**
 * Kept answers in the data grid the gateways share (JCache on Payara's Hazelcast), so that Orthanc
 * computes an answer once for all of them. Values are bytes (a short header, then the gzip body),
 * so that no member needs the gateway's classes to hold them.
 *
 * <p>Never stale, on every gateway: each gateway still reads Orthanc's change feed before each
 * answer and checks the answer's instance count, as alone. What the grid adds is answers another
 * gateway fetched, possibly before a change this gateway has read: each answer carries the feed
 * position its fetcher had read up to before asking Orthanc (the feed's numbers are the same for
 * every gateway), and this gateway gives it out only if that position is at or past the last
 * change it has read for the answer's study (or study list). The gateway that fetched it may not
 * have read that change yet; it removes the answer once it does. When a gateway cannot tell what
 * changed (its feed reading found holes or another database), it replaces the grid's epoch: answers
 * stamped with another epoch are given out by no gateway.
 *
 * <p>Bounded: each gateway notes the answers it put in a {@link Ledger} of half its limit and
 * removes the least recently used of them from the grid; the grid holds each answer once more as a
 * backup on another member, so each member's heap holds about its limit's worth. Answers also go
 * once unused for {@link #UNUSED_FOR} (those of a gateway that left).
 */
final class GridStore implements AnswerStore {

    private static final Logger LOG = Logger.getLogger(GridStore.class.getName());
    static final String ANSWERS = "ohif-gateway-metadata";
    static final String MARKS = "ohif-gateway-metadata-marks";
    static final String CLAIMS = "ohif-gateway-metadata-claims";
    /** An answer nobody asked for this long goes (also those a gateway that left had put). */
    static final Duration UNUSED_FOR = new Duration(TimeUnit.HOURS, 1);
    /** A claim whose gateway stopped while computing ends by itself after this long. */
    static final Duration CLAIM_LASTS = new Duration(TimeUnit.MINUTES, 5);
    /** How many studies' last changes are remembered; beyond, the oldest are taken as changed at the latest forgotten. */
    static final int SCOPES_REMEMBERED = 10_000;
    private static final String EPOCH = "epoch";
    private static final int FORMAT = 1;

    private final Cache<String, byte[]> answers;
    private final Cache<String, String> marks;
    private final Cache<String, String> claims;
    private final String node;
    private final long limitBytes;
    private final Ledger ledger;
    /** The feed position of the last change this gateway read per scope, oldest first. */
    private final LinkedHashMap<String, Long> changedAt = new LinkedHashMap<>();
    /** The position of the latest change forgotten from {@link #changedAt}: every other scope may have changed up to it. */
    private long changedAtLeast = Long.MIN_VALUE;
    private volatile boolean gridFailing;

    GridStore(Cache<String, byte[]> answers, Cache<String, String> marks, Cache<String, String> claims, String node,
              long limitBytes) {
        this.answers = answers;
        this.marks = marks;
        this.claims = claims;
        this.node = node;
        this.limitBytes = limitBytes;
        this.ledger = new Ledger(limitBytes / 2);
    }

    /** The store on the server's data grid, reached through CDI; a server without one is refused. */
    static GridStore onServerGrid(String node, long limitBytes) {
        return on(ServerGrid.cacheManager(), node, limitBytes);
    }

    /** The store on the grid's caches, created by the first gateway that needs them. */
    static GridStore on(CacheManager grid, String node, long limitBytes) {
        return new GridStore(
                ServerGrid.cache(grid, ANSWERS, new MutableConfiguration<String, byte[]>()
                        .setExpiryPolicyFactory(TouchedExpiryPolicy.factoryOf(UNUSED_FOR))),
                ServerGrid.cache(grid, MARKS, new MutableConfiguration<>()),
                ServerGrid.cache(grid, CLAIMS, new MutableConfiguration<String, String>()
                        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(CLAIM_LASTS))),
                node, limitBytes);
    }

    /**
     * The grid's answer, or {@code unavailable} when the grid fails (members unreachable): the cache
     * then works as if nothing were kept, and requests are answered by Orthanc.
     */
    private <T> T fromGrid(Supplier<T> call, T unavailable) {
        try {
            T result = call.get();
            if (gridFailing) {
                gridFailing = false;
                LOG.info("Metadata cache: the data grid answers again");
            }
            return result;
        } catch (RuntimeException e) {
            if (!gridFailing) {
                gridFailing = true;
                LOG.log(Level.WARNING, "Metadata cache: the data grid failed, answers come from Orthanc until it answers"
                        + " (" + e + ")", e);
            }
            return unavailable;
        }
    }

    @Override
    public Optional<KeptAnswer> get(String key) {
        return fromGrid(() -> {
            byte[] value = answers.get(key);
            KeptAnswer answer = value == null ? null : decode(value);
            if (answer == null || !current(answer)) {
                return Optional.<KeptAnswer>empty();
            }
            synchronized (this) {
                ledger.used(key);
            }
            return Optional.of(answer);
        }, Optional.empty());
    }

    /** Whether the answer was fetched in the grid's epoch, after every change of its scope this gateway has read. */
    private boolean current(KeptAnswer answer) {
        if (!inEpoch(answer)) {
            return false;
        }
        synchronized (this) {
            return position(answer) >= changedAt.getOrDefault(answer.scope(), changedAtLeast);
        }
    }

    private boolean inEpoch(KeptAnswer answer) {
        return answer.stamp().startsWith(epoch() + " ");
    }

    /** The feed position the answer's gateway had read up to before asking Orthanc. */
    private static long position(KeptAnswer answer) {
        return Long.parseLong(answer.stamp().substring(answer.stamp().indexOf(' ') + 1));
    }

    /** The grid's epoch: one until a gateway empties the grid (or the grid lost it, which empties it as well). */
    private String epoch() {
        String epoch = marks.get(EPOCH);
        if (epoch != null) {
            return epoch;
        }
        marks.putIfAbsent(EPOCH, UUID.randomUUID().toString());
        return marks.get(EPOCH);
    }

    /** Without the grid: no epoch, so the answer is not kept (nor given out again). */
    @Override
    public String stamp(long feedPosition) {
        return fromGrid(() -> epoch() + " " + feedPosition, "");
    }

    @Override
    public boolean put(String key, KeptAnswer answer) {
        if (answer.size() > limitBytes / 4 || answer.stamp().isEmpty()) {
            return false;
        }
        return fromGrid(() -> {
            answers.put(key, encode(answer));
            Set<String> evicted;
            synchronized (this) {
                evicted = Set.copyOf(ledger.add(key, answer.scope(), answer.size()));
            }
            answers.removeAll(evicted);
            return true;
        }, false);
    }

    @Override
    public boolean putDerived(String fromKey, KeptAnswer from, String key, KeptAnswer answer) {
        Optional<KeptAnswer> still = get(fromKey);
        return still.isPresent() && still.get().stamp().equals(from.stamp()) && put(key, answer);
    }

    @Override
    public int removeScope(String scope, long feedPosition) {
        Set<String> keys;
        synchronized (this) {
            Long before = changedAt.remove(scope);
            changedAt.put(scope, before == null ? feedPosition : Math.max(before, feedPosition));
            if (changedAt.size() > SCOPES_REMEMBERED) {
                Map.Entry<String, Long> oldest = changedAt.entrySet().iterator().next();
                changedAtLeast = Math.max(changedAtLeast, oldest.getValue());
                changedAt.remove(oldest.getKey());
            }
            keys = ledger.removeScope(scope);
        }
        // Those this gateway put (answers others put are refused by the position above until they
        // remove them), unless another gateway that read the change first put a newer one meanwhile.
        return fromGrid(() -> {
            for (String key : keys) {
                byte[] value = answers.get(key);
                KeptAnswer kept = value == null ? null : decode(value);
                if (value != null && (kept == null || !inEpoch(kept) || position(kept) < feedPosition)) {
                    answers.remove(key, value);
                }
            }
            return keys.size();
        }, 0);
    }

    @Override
    public int clear(long feedPosition) {
        synchronized (this) {
            // Any scope may have changed up to here. (After another database, positions may be lower
            // than before: the new epoch is what refuses the old database's answers then.)
            changedAt.clear();
            changedAtLeast = feedPosition;
        }
        fromGrid(() -> {
            marks.put(EPOCH, UUID.randomUUID().toString());
            answers.removeAll();
            return null;
        }, null);
        synchronized (this) {
            return ledger.clear();
        }
    }

    @Override
    public synchronized void readingFrom(long feedPosition) {
        changedAtLeast = Math.max(changedAtLeast, feedPosition);
    }

    /** Always: other gateways may keep study answers this one must invalidate. */
    @Override
    public boolean keepsStudies() {
        return true;
    }

    @Override
    public boolean claim(String key) {
        return fromGrid(() -> claims.putIfAbsent(key, node), false);
    }

    @Override
    public void release(String key) {
        fromGrid(() -> claims.remove(key, node), false);
    }

    @Override
    public synchronized Usage usage() {
        return ledger.usage();
    }

    static byte[] encode(KeptAnswer answer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(answer.gzip().length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(answer.stamp());
            out.writeUTF(answer.contentType());
            out.writeUTF(answer.origin().scheme());
            out.writeUTF(answer.origin().hostAndPort());
            out.writeUTF(answer.scope());
            if (answer.validity() instanceof KeptAnswer.InstanceCount count) {
                out.writeUTF(count.level().name());
                out.writeUTF(count.orthancId());
                out.writeLong(count.count());
            } else {
                Archive.Counts counts = ((KeptAnswer.ArchiveCounts) answer.validity()).counts();
                out.writeUTF("");
                out.writeLong(counts.patients());
                out.writeLong(counts.studies());
                out.writeLong(counts.series());
                out.writeLong(counts.instances());
            }
            out.write(answer.gzip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The answer, or null for a value this version cannot read (put by a gateway of another version). */
    static KeptAnswer decode(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            if (in.readByte() != FORMAT) {
                return null;
            }
            String stamp = in.readUTF();
            String contentType = in.readUTF();
            PublicOrigin origin = new PublicOrigin(in.readUTF(), in.readUTF());
            String scope = in.readUTF();
            String level = in.readUTF();
            KeptAnswer.Validity validity = level.isEmpty()
                    ? new KeptAnswer.ArchiveCounts(new Archive.Counts(in.readLong(), in.readLong(), in.readLong(),
                    in.readLong()))
                    : new KeptAnswer.InstanceCount(Archive.Level.valueOf(level), in.readUTF(), in.readLong());
            return new KeptAnswer(in.readAllBytes(), contentType, origin, scope, validity, stamp);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
