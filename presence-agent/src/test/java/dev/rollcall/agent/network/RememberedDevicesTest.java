package dev.rollcall.agent.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RememberedDevicesTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsAndToleratesAbsenceAndDamage() throws IOException {
        RememberedDevices memory = new RememberedDevices(dir.resolve("network-devices.txt"));
        assertThat(memory.load()).isEmpty();

        List<PresenceTracker.TrackedDevice> devices = List.of(
                new PresenceTracker.TrackedDevice("3c:22:fb:12:34:56", "192.168.10.23", Instant.parse("2026-11-20T07:01:09Z"), 0),
                new PresenceTracker.TrackedDevice("a4:83:e7:00:11:22", "192.168.10.40", Instant.parse("2026-11-20T07:00:09Z"), 1));
        memory.save(devices);
        assertThat(memory.load()).isEqualTo(devices);

        Files.writeString(dir.resolve("network-devices.txt"), "garbage\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(memory.load()).isEqualTo(devices);
    }
}
