package dev.rollcall.agent.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArpScanSweepTest {

    @TempDir
    Path dir;

    private static final List<ScanTarget> TARGETS = List.of(new ScanTarget(Subnet.parse("192.168.10.0/24"), "wlan0"));

    @Test
    void parsesArpScansAnswersAndSkipsItsChatter() {
        String output = """
                Interface: wlan0, type: EN10MB, MAC: 02:00:00:00:00:01, IPv4: 192.168.10.2
                Starting arp-scan 1.10.0 with 256 hosts (https://github.com/royhills/arp-scan)
                192.168.10.1\t00:11:22:33:44:55\tCisco Systems
                192.168.10.23\t3C:22:FB:12:34:56\t(Unknown: locally administered)
                192.168.10.23\t3c:22:fb:12:34:56\t(DUP: 2)
                10.0.0.7\t02:42:ac:11:00:02
                192.168.10.99\t00:00:00:00:00:00

                3 packets received by filter, 0 packets dropped by kernel
                Ending arp-scan 1.10.0: 256 hosts scanned in 1.942 seconds (131.82 hosts/sec). 3 responded
                """;

        assertThat(ArpScanSweep.parse(output, List.of(Subnet.parse("192.168.10.0/24")))).containsExactly(
                new Sighting("00:11:22:33:44:55", "192.168.10.1"),
                new Sighting("3c:22:fb:12:34:56", "192.168.10.23"),
                new Sighting("3c:22:fb:12:34:56", "192.168.10.23"));
    }

    @Test
    void findsArpScanOnThePathOnlyWhenExecutable() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        assertThat(ArpScanSweep.find(bin.toString()).filter(p -> p.startsWith(bin))).isEmpty();

        Path tool = Files.writeString(bin.resolve("arp-scan"), "#!/bin/sh\n");
        assertThat(ArpScanSweep.find(bin.toString()).filter(p -> p.startsWith(bin))).isEmpty();
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(ArpScanSweep.find(bin.toString())).contains(tool);
    }

    @Test
    void runsTheToolAndReadsItsAnswer() throws Exception {
        Path tool = script("arp-scan", """
                #!/bin/sh
                echo "args: $*" >&2
                printf '192.168.10.23\\t3c:22:fb:12:34:56\\tApple\\n'
                """);

        List<Sighting> seen = new ArpScanSweep(tool, TARGETS).scan();

        assertThat(seen).containsExactly(new Sighting("3c:22:fb:12:34:56", "192.168.10.23"));
    }

    @Test
    void withoutPermissionAutoFallsBackToTheNeighbourTableForGood() throws Exception {
        Path tool = script("arp-scan", """
                #!/bin/sh
                echo "pcap_open_live: wlan0: You don't have permission to capture on that device" >&2
                exit 1
                """);
        List<String> calls = new ArrayList<>();
        DeviceSweep neighbour = new DeviceSweep() {
            @Override
            public List<Sighting> scan() {
                calls.add("neighbour");
                return List.of(new Sighting("3c:22:fb:12:34:56", "192.168.10.23"));
            }

            @Override
            public String describe() {
                return "neighbour table";
            }
        };
        FallbackSweep auto = new FallbackSweep(new ArpScanSweep(tool, TARGETS), neighbour);

        assertThat(auto.scan()).containsExactly(new Sighting("3c:22:fb:12:34:56", "192.168.10.23"));
        assertThat(auto.fellBack()).isTrue();
        Files.delete(tool); // not even tried again
        assertThat(auto.scan()).hasSize(1);
        assertThat(calls).containsExactly("neighbour", "neighbour");
    }

    private Path script(String name, String body) throws IOException {
        Path f = Files.writeString(dir.resolve(name), body);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
        return f;
    }
}
