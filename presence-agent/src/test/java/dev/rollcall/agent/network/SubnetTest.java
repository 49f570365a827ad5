package dev.rollcall.agent.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubnetTest {

    @Test
    void parsesAndClearsHostBits() {
        assertThat(Subnet.parse("192.168.10.0/24")).hasToString("192.168.10.0/24");
        assertThat(Subnet.parse(" 10.0.0.17/24 ")).isEqualTo(Subnet.parse("10.0.0.0/24"));
        assertThat(Subnet.parse("255.255.255.255/32")).hasToString("255.255.255.255/32");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0", "10.0.0/24", "300.1.1.0/24", "10.0.0.0/33", "fe80::/64", "10.0.0.0/ 24",
        "ten.0.0.0/8"})
    void refusesWhatIsNotAnIpv4Cidr(String text) {
        assertThatThrownBy(() -> Subnet.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subnet");
    }

    @Test
    void expandsToHostAddressesWithoutNetworkAndBroadcast() {
        Subnet s = Subnet.parse("10.213.0.0/24");
        List<String> hosts = s.hosts().mapToObj(Subnet::format).toList();
        assertThat(s.hostCount()).isEqualTo(254);
        assertThat(hosts).hasSize(254).startsWith("10.213.0.1", "10.213.0.2").endsWith("10.213.0.254")
                .doesNotContain("10.213.0.0", "10.213.0.255");
        assertThat(Subnet.parse("10.0.0.4/30").hosts().mapToObj(Subnet::format)).containsExactly("10.0.0.5", "10.0.0.6");
        assertThat(Subnet.parse("10.0.0.4/31").hosts().mapToObj(Subnet::format)).containsExactly("10.0.0.4", "10.0.0.5");
        assertThat(Subnet.parse("10.0.0.4/32").hosts().mapToObj(Subnet::format)).containsExactly("10.0.0.4");
        // Above 127.x the int is negative: the expansion must still be in address order.
        assertThat(Subnet.parse("192.168.255.252/30").hosts().mapToObj(Subnet::format))
                .containsExactly("192.168.255.253", "192.168.255.254");
    }

    @Test
    void knowsItsAddresses() {
        Subnet s = Subnet.parse("192.168.10.0/23");
        assertThat(s.contains(Subnet.parse("192.168.11.200/32").network())).isTrue();
        assertThat(s.contains(Subnet.parse("192.168.12.1/32").network())).isFalse();
        assertThat(s.contains(Subnet.toAddress(Subnet.parse("192.168.10.9/32").network()))).isTrue();
    }

    @Test
    void aSlash22IsTheLargestSweepWithoutAllowLarge() {
        Subnet.checkSize(List.of(Subnet.parse("10.0.0.0/22")), false);
        Subnet.checkSize(List.of(Subnet.parse("10.0.0.0/24"), Subnet.parse("10.0.1.0/24")), false);

        assertThatThrownBy(() -> Subnet.checkSize(List.of(Subnet.parse("10.0.0.0/21")), false))
                .hasMessageContaining("2046 host addresses").hasMessageContaining("--allow-large");
        // Many small subnets add up just like one large one.
        assertThatThrownBy(() -> Subnet.checkSize(Collections.nCopies(5, Subnet.parse("10.0.0.0/24")), false))
                .hasMessageContaining("1270 host addresses");
    }

    @Test
    void allowLargeStopsAtASlash16() {
        Subnet.checkSize(List.of(Subnet.parse("10.0.0.0/21")), true);
        Subnet.checkSize(List.of(Subnet.parse("10.0.0.0/16")), true);
        assertThatThrownBy(() -> Subnet.checkSize(List.of(Subnet.parse("10.0.0.0/15")), true))
                .hasMessageContaining("at most 65534");
        assertThatThrownBy(() -> Subnet.checkSize(List.of(Subnet.parse("0.0.0.0/0")), true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Subnet.checkSize(List.of(), true)).hasMessageContaining("--subnet");
    }
}
