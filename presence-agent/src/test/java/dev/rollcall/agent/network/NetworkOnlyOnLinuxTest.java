package dev.rollcall.agent.network;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The network collector refuses, with one line and exit 3, anywhere but Linux (its methods read /proc/net/arp). */
class NetworkOnlyOnLinuxTest {

    private final StringWriter err = new StringWriter();

    @Test
    void onWindowsItExitsThreeSayingLinuxOnly() {
        assertThat(NetworkCommand.refuseUnlessLinux("Windows 11", new PrintWriter(err))).isEqualTo(3);
        assertThat(err.toString()).isEqualTo("presence-agent network: the network collector runs on Linux only (it reads "
                + "the kernel's neighbour table, /proc/net/arp), not on Windows 11; see the presence-agent README"
                + System.lineSeparator());
    }

    @Test
    void elsewhereTooAndAMissingNameIsNoLinux() {
        assertThat(NetworkCommand.refuseUnlessLinux("Mac OS X", new PrintWriter(err))).isEqualTo(3);
        assertThat(NetworkCommand.refuseUnlessLinux(null, new PrintWriter(err))).isEqualTo(3);
        assertThat(err.toString()).contains("not on Mac OS X;").contains("not on this system;");
    }

    @Test
    void onLinuxItGoesOnAndSaysNothing() {
        assertThat(NetworkCommand.refuseUnlessLinux("Linux", new PrintWriter(err))).isNull();
        assertThat(err.toString()).isEmpty();
    }
}
