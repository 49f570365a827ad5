package dev.rollcall.agent.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Windows reader: sections matched to the targets' interfaces by the interface's own address, entries by
 * subnet; and {@code arp -a} run as a process (a script stands in for ARP.EXE).
 */
class WindowsNeighbourReaderTest {

    @TempDir
    Path dir;

    /** Java's interface names on the machine of english.txt: Wi-Fi, a Hyper-V switch, a VPN. */
    private static final Map<String, Set<String>> ADDRESSES = Map.of(
            "wlan1", Set.of("192.168.10.5"), "eth4", Set.of("172.24.64.1"), "net7", Set.of("10.8.0.2"));

    private static WindowsNeighbourReader reader(String output) {
        return new WindowsNeighbourReader(() -> output, name -> ADDRESSES.getOrDefault(name, Set.of()));
    }

    @Test
    void keepsTheEntriesOfTheTargetsInterfacesInsideTheirSubnets() throws IOException {
        String output = WindowsArpTableTest.fixture("english.txt");

        assertThat(reader(output).read(List.of(new ScanTarget(Subnet.parse("192.168.10.0/24"), "wlan1"))))
                .containsExactly(new Sighting("3c:22:fb:12:34:56", "192.168.10.23"),
                        new Sighting("a4:83:e7:00:11:22", "192.168.10.25"));
        assertThat(reader(output).read(List.of(new ScanTarget(Subnet.parse("192.168.10.0/24"), "wlan1"),
                new ScanTarget(Subnet.parse("10.8.0.0/24"), "net7"))))
                .extracting(Sighting::ip).containsExactly("192.168.10.23", "192.168.10.25", "10.8.0.1");
        // a narrower subnet on the same interface
        assertThat(reader(output).read(List.of(new ScanTarget(Subnet.parse("192.168.10.24/29"), "wlan1"))))
                .extracting(Sighting::ip).containsExactly("192.168.10.25");
    }

    @Test
    void theSameSubnetOnAnotherInterfaceIsNotOurs() throws IOException {
        // The VPN section's 10.8.0.1 is in 10.8.0.0/24, but the target is that subnet on the Wi-Fi.
        String output = WindowsArpTableTest.fixture("english.txt");
        assertThat(reader(output).read(List.of(new ScanTarget(Subnet.parse("10.8.0.0/24"), "wlan1")))).isEmpty();
        // an interface that has gone away sees nobody
        assertThat(reader(output).read(List.of(new ScanTarget(Subnet.parse("192.168.10.0/24"), "wlan9")))).isEmpty();
    }

    @Test
    void waitsAsLongAsWindowsProbesAStaleNeighbour() {
        WindowsNeighbourReader r = reader("");
        assertThat(r.settle(List.of())).isEqualTo(Duration.ofMillis(8500));
        assertThat(new NeighbourSweep(List.of(new ScanTarget(Subnet.parse("192.168.10.0/24"), "wlan1")), null, r,
                d -> { }).settle()).isEqualTo(Duration.ofMillis(8500));
        assertThat(r.describe()).isEqualTo("Windows ARP cache (arp -a)");
    }

    @Test
    void runsArpMinusAAndTakesItsBytesAsTheyCome() throws Exception {
        Files.copy(Path.of("src/test/resources/arp-a/german.txt"), dir.resolve("german.txt"));
        Path arp = script("""
                #!/bin/sh
                [ "$*" = "-a" ] || { echo "unexpected arguments: $*" >&2; exit 9; }
                cat "$(dirname "$0")/german.txt"
                """);

        String output = WindowsNeighbourReader.arpCommand(arp.toString()).output();

        assertThat(output).isEqualTo(WindowsArpTableTest.fixture("german.txt"));
    }

    @Test
    void aFailureWithOutputIsAnAnswerAndWithoutOutputAnError() throws Exception {
        Path empty = script("""
                #!/bin/sh
                printf 'No ARP Entries Found.\\r\\n'
                exit 1
                """);
        assertThat(WindowsArpTable.parse(WindowsNeighbourReader.arpCommand(empty.toString()).output())).isEmpty();

        Path broken = script("""
                #!/bin/sh
                echo "The requested operation requires elevation." >&2
                exit 1
                """);
        assertThatThrownBy(() -> WindowsNeighbourReader.arpCommand(broken.toString()).output())
                .isInstanceOf(IOException.class)
                .hasMessage(broken + " -a exited with 1: The requested operation requires elevation.");
        assertThatThrownBy(() -> WindowsNeighbourReader.arpCommand(dir.resolve("missing.exe").toString()).output())
                .isInstanceOf(IOException.class);
    }

    @Test
    void theSystemsOwnArpNotThePaths() {
        assertThat(WindowsNeighbourReader.systemArp("C:\\Windows")).endsWith("System32" + java.io.File.separator + "ARP.EXE")
                .startsWith("C:\\Windows");
        assertThat(WindowsNeighbourReader.systemArp(null)).isEqualTo("arp.exe");
    }

    private Path script(String body) throws IOException {
        Path f = Files.createTempFile(dir, "arp", ".sh");
        Files.writeString(f, body);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
        return f;
    }
}
