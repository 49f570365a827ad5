package dev.rollcall.agent.network;

import dev.rollcall.agent.outbox.DurableFiles;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The devices the agent considers online, kept on disk after every scan that changes them. Without it a
 * restart would forget them: a phone that left while the agent was down would never get its offline event.
 * One line per device, {@code <mac> <ip> <last seen> <missed scans>}, replaced atomically.
 */
public final class RememberedDevices {

    private static final Logger LOG = Logger.getLogger(RememberedDevices.class);

    private final Path file;

    public RememberedDevices(Path file) {
        this.file = file;
    }

    public List<PresenceTracker.TrackedDevice> load() throws IOException {
        List<PresenceTracker.TrackedDevice> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException first) {
            return out;
        }
        for (String line : lines) {
            String[] f = line.strip().split(" ");
            try {
                out.add(new PresenceTracker.TrackedDevice(new Sighting(f[0], f[1]).mac(), f[1], Instant.parse(f[2]),
                        Integer.parseInt(f[3])));
            } catch (RuntimeException malformed) {
                LOG.warnf("ignoring a malformed line in %s: '%s'", file, line);
            }
        }
        return out;
    }

    public void save(List<PresenceTracker.TrackedDevice> devices) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (PresenceTracker.TrackedDevice d : devices) {
            sb.append(d.mac()).append(' ').append(d.ip()).append(' ').append(d.lastSeen()).append(' ')
                    .append(d.missedScans()).append('\n');
        }
        DurableFiles.writeAtomically(file, sb.toString().getBytes(StandardCharsets.US_ASCII));
    }
}
