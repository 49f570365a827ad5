package dev.rollcall.agent.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class NeighbourTableTest {

    private static Path fixture(String name) {
        return Path.of("src/test/resources/proc-net-arp", name);
    }

    @Test
    void keepsOnlyCompleteEthernetEntriesWithARealMac() throws IOException {
        List<NeighbourTable.Entry> entries = NeighbourTable.read(fixture("mixed.txt"));

        assertThat(entries).containsExactly(
                new NeighbourTable.Entry("192.168.10.23", "3c:22:fb:12:34:56", "wlan0"), // upper case normalised
                new NeighbourTable.Entry("192.168.10.25", "a4:83:e7:00:11:22", "wlan0"),
                new NeighbourTable.Entry("10.8.0.9", "02:42:ac:11:00:02", "docker0"),
                new NeighbourTable.Entry("192.168.10.28", "a4:83:e7:00:11:22", "wlan0"));
        // Left out: .24 incomplete (0x0), .1 static (0x6), .26 zero MAC, .27 InfiniBand, a garbage line, .300.
    }

    @Test
    void anEmptyTableHasNoEntries() throws IOException {
        assertThat(NeighbourTable.read(fixture("empty.txt"))).isEmpty();
        assertThat(NeighbourTable.parse("")).isEmpty();
    }
}
