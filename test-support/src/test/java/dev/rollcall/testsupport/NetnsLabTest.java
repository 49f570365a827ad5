package dev.rollcall.testsupport;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The lab's own names stay apart from other labs' and leave nothing behind; the agent's tests do the ARP. */
class NetnsLabTest {

    @Test
    void refusesWhatItCouldNotBuildBeforeBuildingAnything() {
        assertThatThrownBy(() -> NetnsLab.named("Rc arp")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NetnsLab.named("rc").subnet("10.213.0.0/16")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NetnsLab.named("rc-too-long").uplinkToHost()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NetnsLab.named("rc").create()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void namesItsOwnNamespacesWithAnUplinkToTheHostAndDeletesThemOnClose() throws Exception {
        String why = NetnsLab.unavailableBecause("the lab's own test");
        assumeTrue(why == null, () -> "SKIPPED: " + why);

        NetnsLab other;
        NetnsLab lab;
        try (NetnsLab o = NetnsLab.named("rc-t").subnet("10.217.0.0/24").create();
             NetnsLab l = NetnsLab.named("rc-t").subnet("10.217.0.0/24").uplinkToHost().create("02:17:00:aa:00:01")) {
            other = o;
            lab = l;
            assertThat(lab.agentNamespace()).startsWith("rc-t-").endsWith("-agent").isNotEqualTo(other.agentNamespace());
            assertThat(lab.phones()).singleElement().satisfies(p -> {
                assertThat(p.ip()).isEqualTo("10.217.0.10");
                assertThat(p.mac()).isEqualTo("02:17:00:aa:00:01");
            });
            assertThat(namespaces()).contains(lab.agentNamespace(), lab.phones().getFirst().namespace(), other.agentNamespace());
            assertThat(hostAddresses()).as("the uplink's host end").contains(" " + lab.hostAddress() + "/30 ");
        }
        assertThat(namespaces()).doesNotContain(lab.agentNamespace(), lab.phones().getFirst().namespace(), other.agentNamespace());
        assertThat(hostAddresses()).doesNotContain(" " + lab.hostAddress() + "/30 ");
    }

    private static String namespaces() throws IOException, InterruptedException {
        return ip("netns", "list");
    }

    private static String hostAddresses() throws IOException, InterruptedException {
        return ip("-o", "addr", "show");
    }

    private static String ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
