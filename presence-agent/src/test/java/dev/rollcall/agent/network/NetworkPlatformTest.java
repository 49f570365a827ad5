package dev.rollcall.agent.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Which neighbour table the network collector reads, by {@code os.name}: Linux's {@code /proc/net/arp}, Windows'
 * {@code arp -a}; anywhere else it refuses with one line and exit 3. arp-scan stays Linux only.
 */
class NetworkPlatformTest {

    private static final List<ScanTarget> TARGETS = List.of(new ScanTarget(Subnet.parse("192.168.10.0/24"), "wlan0"));
    private static final Optional<Path> ARP_SCAN = Optional.of(Path.of("/usr/sbin/arp-scan"));
    private static final Duration SETTLE = Duration.ofSeconds(1);

    private final StringWriter err = new StringWriter();

    @ParameterizedTest
    @CsvSource({
        "Linux, LinuxNeighbourReader",
        "Windows 11, WindowsNeighbourReader",
        "Windows 10, WindowsNeighbourReader",
        "Windows Server 2022, WindowsNeighbourReader",
    })
    void eachSystemGetsItsOwnTableAndNoComplaint(String os, String reader) {
        Optional<NeighbourReader> chosen = NetworkCommand.readerOrRefuse(os, new PrintWriter(err));

        assertThat(chosen).get().extracting(r -> r.getClass().getSimpleName()).isEqualTo(reader);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void linuxReadsProcNetArp() {
        assertThat(NeighbourReader.forSystem("Linux")).contains(new LinuxNeighbourReader(Path.of("/proc/net/arp")));
        assertThat(NeighbourReader.forSystem("Windows 11")).get().extracting(NeighbourReader::describe)
                .isEqualTo("Windows ARP cache (arp -a)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mac OS X", "FreeBSD", "SunOS", "windows-like"})
    void anywhereElseItExitsThreeSayingWhere(String os) {
        assertThat(NetworkCommand.readerOrRefuse(os, new PrintWriter(err))).isEmpty();
        assertThat(NetworkCommand.UNSUPPORTED).isEqualTo(3);
        assertThat(err.toString()).isEqualTo("presence-agent network: the network collector runs on Linux and Windows "
                + "only (it reads the neighbour table: /proc/net/arp on Linux, arp -a on Windows), not on " + os
                + "; see the presence-agent README" + System.lineSeparator());
    }

    @ParameterizedTest
    @NullAndEmptySource
    void aMissingNameIsNoSystemWeKnow(String os) {
        assertThat(NetworkCommand.readerOrRefuse(os, new PrintWriter(err))).isEmpty();
        assertThat(err.toString()).contains("not on this system;");
    }

    @Test
    void onWindowsAutoAndNeighbourSweepTheArpCacheAndArpScanIsRefused() {
        NeighbourReader windows = NeighbourReader.forSystem("Windows 11").orElseThrow();

        assertThat(NetworkCommand.sweep(TARGETS, windows, "auto", ARP_SCAN, SETTLE))
                .isInstanceOf(NeighbourSweep.class)
                .extracting(DeviceSweep::describe).asString().startsWith("UDP sweep + Windows ARP cache (arp -a)");
        assertThat(NetworkCommand.sweep(TARGETS, windows, "neighbour", Optional.empty(), SETTLE))
                .isInstanceOf(NeighbourSweep.class);
        assertThatThrownBy(() -> NetworkCommand.sweep(TARGETS, windows, "arp-scan", ARP_SCAN, SETTLE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--method arp-scan runs on Linux only; use --method neighbour (which auto also picks here)");
    }

    @Test
    void onLinuxAutoPrefersAnInstalledArpScan() {
        NeighbourReader linux = NeighbourReader.forSystem("Linux").orElseThrow();

        assertThat(NetworkCommand.sweep(TARGETS, linux, "auto", ARP_SCAN, SETTLE)).isInstanceOf(FallbackSweep.class);
        assertThat(NetworkCommand.sweep(TARGETS, linux, "auto", Optional.empty(), SETTLE))
                .isInstanceOf(NeighbourSweep.class)
                .extracting(DeviceSweep::describe).asString().startsWith("UDP sweep + kernel neighbour table (/proc/net/arp)");
        assertThat(NetworkCommand.sweep(TARGETS, linux, "arp-scan", ARP_SCAN, SETTLE)).isInstanceOf(ArpScanSweep.class);
        assertThatThrownBy(() -> NetworkCommand.sweep(TARGETS, linux, "arp-scan", Optional.empty(), SETTLE))
                .hasMessage("--method arp-scan, but arp-scan is not installed");
        assertThatThrownBy(() -> NetworkCommand.sweep(TARGETS, linux, "nmap", ARP_SCAN, SETTLE))
                .hasMessage("--method must be auto, neighbour or arp-scan, got 'nmap'");
    }
}
