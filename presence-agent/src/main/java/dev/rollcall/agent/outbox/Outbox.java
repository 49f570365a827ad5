package dev.rollcall.agent.outbox;

import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventDecodingException;
import dev.rollcall.events.EventEnvelope;
import org.jboss.logging.Logger;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's durable local queue of events, with Square Tape QueueFile's semantics: {@link #append} returns
 * only when the events are on disk; the shipper {@link #peek}s, sends, and {@link #remove}s only after the
 * server acknowledged; a crash at any point leaves every appended, unremoved event queued.
 *
 * <p>Storage: one file per event, named by a monotonic sequence ({@code 0000000000000000042.json}), holding
 * the event's CloudEvents JSON. Each is written to a temporary name, fsync'd, renamed atomically and the
 * directory fsync'd, so a {@code kill -9} or power cut leaves complete events and at most some temporary files,
 * which {@link #open} deletes. Removal deletes files; a removal lost in a crash only means a re-send, which
 * the server drops by event id.
 *
 * <p>Bounded: beyond {@code maxEvents} the oldest events are dropped, each drop logged loudly and counted.
 * Events the server refuses as invalid are moved to {@code rejected/} with the reason, so one bad event cannot
 * block the queue forever. One process at a time: a lock file keeps a second agent out.
 */
public final class Outbox implements Closeable {

    private static final Logger LOG = Logger.getLogger(Outbox.class);
    private static final Pattern NAME = Pattern.compile("(\\d{19})\\.json");
    static final String LOCK_FILE = ".lock";
    static final String REJECTED = "rejected";
    static final String CORRUPT = "corrupt";

    private final Path dir;
    private final int maxEvents;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final TreeSet<Long> queued = new TreeSet<>();
    private long nextSequence;
    private long dropped;
    private long rejected;

    private Outbox(Path dir, int maxEvents, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.maxEvents = maxEvents;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens (or creates) the outbox in {@code dir}, cleaning up what a crash left behind. */
    public static Outbox open(Path dir, int maxEvents) throws IOException {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("outbox-max must be at least 1");
        }
        DurableFiles.createPrivateDirectory(dir);
        FileChannel ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new IOException("another presence-agent is using the outbox " + dir.toAbsolutePath()
                    + "; give each agent its own --outbox");
        }
        Outbox outbox = new Outbox(dir, maxEvents, ch, lock);
        try {
            outbox.recover();
        } catch (IOException | RuntimeException e) {
            outbox.close();
            throw e;
        }
        return outbox;
    }

    private void recover() throws IOException {
        boolean cleaned = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                Matcher m = NAME.matcher(name);
                if (m.matches()) {
                    queued.add(Long.parseLong(m.group(1)));
                } else if (name.startsWith(DurableFiles.TEMP_PREFIX)) {
                    // A write a crash interrupted: never acknowledged, so never promised to anyone.
                    Files.deleteIfExists(f);
                    cleaned = true;
                }
            }
        }
        if (cleaned) {
            DurableFiles.syncDirectory(dir);
        }
        nextSequence = queued.isEmpty() ? 1 : queued.last() + 1;
        enforceBound();
        if (!queued.isEmpty()) {
            LOG.infof("outbox %s holds %d events from an earlier run", dir, queued.size());
        }
    }

    /** Appends events in order; when it returns they are durable. Drops the oldest if the bound is exceeded. */
    public synchronized void append(List<EventEnvelope> events) throws IOException {
        if (events.isEmpty()) {
            return;
        }
        List<Path> temps = new ArrayList<>(events.size());
        long first = nextSequence;
        nextSequence += events.size();
        try {
            for (int i = 0; i < events.size(); i++) {
                temps.add(DurableFiles.writeTemp(file(first + i), EventCodec.encode(events.get(i))));
            }
            for (int i = 0; i < temps.size(); i++) {
                Files.move(temps.get(i), file(first + i), StandardCopyOption.ATOMIC_MOVE);
                queued.add(first + i);
            }
        } catch (IOException | RuntimeException e) {
            // Disk full or the like: the events already renamed stay queued (the caller may append them again,
            // which only re-sends ids the server dedupes); temporary files go.
            for (Path t : temps) {
                try {
                    Files.deleteIfExists(t);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        DurableFiles.syncDirectory(dir);
        enforceBound();
        notifyAll();
    }

    private void enforceBound() throws IOException {
        int over = queued.size() - maxEvents;
        if (over <= 0) {
            return;
        }
        for (int i = 0; i < over; i++) {
            Files.deleteIfExists(file(queued.pollFirst()));
        }
        DurableFiles.syncDirectory(dir);
        dropped += over;
        LOG.errorf("OUTBOX FULL: dropped the %d oldest unsent events to stay within outbox-max=%d "
                + "(%d dropped since start). The server has been unreachable or refusing for too long; "
                + "these events are lost.", over, maxEvents, dropped);
    }

    /** Up to {@code max} of the oldest events, oldest first, without removing them. */
    public synchronized List<OutboxEntry> peek(int max) throws IOException {
        List<OutboxEntry> out = new ArrayList<>(Math.min(max, queued.size()));
        List<Long> unreadable = new ArrayList<>();
        for (long seq : queued) {
            if (out.size() >= max) {
                break;
            }
            try {
                out.add(new OutboxEntry(seq, EventCodec.decode(Files.readAllBytes(file(seq)))));
            } catch (EventDecodingException | NoSuchFileException e) {
                unreadable.add(seq);
                LOG.errorf("outbox file %s is unreadable (%s); moved to %s/", file(seq).getFileName(),
                        e.getMessage(), CORRUPT);
            }
        }
        for (long seq : unreadable) {
            queued.remove(seq);
            Path target = DurableFiles.createPrivateDirectory(dir.resolve(CORRUPT)).resolve(file(seq).getFileName());
            if (Files.exists(file(seq))) {
                Files.move(file(seq), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return out;
    }

    /** Removes events the server acknowledged. */
    public synchronized void remove(Collection<OutboxEntry> entries) throws IOException {
        for (OutboxEntry e : entries) {
            if (queued.remove(e.sequence())) {
                Files.deleteIfExists(file(e.sequence()));
            }
        }
        if (!entries.isEmpty()) {
            DurableFiles.syncDirectory(dir);
        }
    }

    /**
     * Moves an event the server refused as invalid to {@code rejected/}, with the server's reason beside it,
     * for a person to look at: re-sending it would fail forever and block everything behind it.
     */
    public synchronized void reject(OutboxEntry entry, String reason) throws IOException {
        if (!queued.remove(entry.sequence())) {
            return;
        }
        Path rejectedDir = DurableFiles.createPrivateDirectory(dir.resolve(REJECTED));
        String base = entry.sequence() + "-" + entry.event().id();
        DurableFiles.writeAtomically(rejectedDir.resolve(base + ".reason.txt"),
                (reason + "\n").getBytes(StandardCharsets.UTF_8));
        Files.move(file(entry.sequence()), rejectedDir.resolve(base + ".json"), StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.syncDirectory(rejectedDir);
        DurableFiles.syncDirectory(dir);
        rejected++;
        LOG.errorf("the server rejected event %s (%s): %s; moved to %s", entry.event().id(), entry.event().type(),
                reason, rejectedDir.resolve(base + ".json"));
    }

    /** Waits until an event is queued or the timeout passes; returns whether any is queued. */
    public synchronized boolean awaitEvents(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (queued.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    public synchronized int size() {
        return queued.size();
    }

    /** Events dropped because the outbox was full, since this process opened it. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Events moved to {@code rejected/} since this process opened the outbox. */
    public synchronized long rejected() {
        return rejected;
    }

    public Path directory() {
        return dir;
    }

    private Path file(long sequence) {
        return dir.resolve(String.format("%019d.json", sequence));
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            lockChannel.close();
        }
    }
}
