package dev.rollcall.agent.network;

import static dev.rollcall.events.DeviceState.OFFLINE;
import static dev.rollcall.events.DeviceState.ONLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollcall.agent.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceTrackerTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final String PHONE = "3c:22:fb:12:34:56";
    private static final String LAPTOP = "a4:83:e7:00:11:22";

    private final FakeClock clock = FakeClock.at("2026-11-20T07:58:00Z");

    private List<DeviceTransition> scan(PresenceTracker tracker, Sighting... seen) {
        return tracker.observe(clock.advance(MINUTE), List.of(seen));
    }

    @Test
    void aDeviceIsOnlineFromTheFirstScanThatSeesItAndOnlyThatScanReportsIt() {
        PresenceTracker tracker = new PresenceTracker(2);

        List<DeviceTransition> first = scan(tracker, new Sighting("3C:22:FB:12:34:56", "192.168.10.23"));
        Instant firstScan = clock.instant();
        List<DeviceTransition> second = scan(tracker, new Sighting(PHONE, "192.168.10.23"));

        assertThat(first).containsExactly(new DeviceTransition(PHONE, "192.168.10.23", ONLINE, firstScan));
        assertThat(second).isEmpty();
        assertThat(tracker.online()).containsExactly(PHONE);
    }

    @Test
    void offlineAfterTheConfiguredMissedScansDatedAtTheLastScanThatSawIt() {
        PresenceTracker tracker = new PresenceTracker(2);
        scan(tracker, new Sighting(PHONE, "192.168.10.23"));
        Instant lastSeen = clock.instant();

        List<DeviceTransition> miss1 = scan(tracker);
        assertThat(miss1).isEmpty();
        assertThat(tracker.online()).as("still online while missed fewer than 2 times").containsExactly(PHONE);

        List<DeviceTransition> miss2 = scan(tracker);
        assertThat(miss2).containsExactly(new DeviceTransition(PHONE, null, OFFLINE, lastSeen));
        assertThat(tracker.online()).isEmpty();

        assertThat(scan(tracker)).as("an offline device is not reported again").isEmpty();
        List<DeviceTransition> back = scan(tracker, new Sighting(PHONE, "192.168.10.40"));
        assertThat(back).containsExactly(new DeviceTransition(PHONE, "192.168.10.40", ONLINE, clock.instant()));
    }

    @Test
    void aPhoneThatSkipsOneScanDoesNotFlap() {
        PresenceTracker tracker = new PresenceTracker(2);
        scan(tracker, new Sighting(PHONE, "192.168.10.23"));
        for (int i = 0; i < 10; i++) {
            assertThat(scan(tracker)).isEmpty();
            assertThat(scan(tracker, new Sighting(PHONE, "192.168.10.23"))).isEmpty();
        }
        assertThat(tracker.online()).containsExactly(PHONE);
    }

    @Test
    void withOfflineAfterOneTheFirstMissIsOffline() {
        PresenceTracker tracker = new PresenceTracker(1);
        scan(tracker, new Sighting(PHONE, "192.168.10.23"));
        assertThat(scan(tracker)).extracting(DeviceTransition::state).containsExactly(OFFLINE);
        assertThatThrownBy(() -> new PresenceTracker(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneMacOnSeveralAddressesIsOneDeviceAndAnAddressChangeIsNoStateChange() {
        PresenceTracker tracker = new PresenceTracker(2);
        List<DeviceTransition> first = scan(tracker, new Sighting(PHONE, "192.168.10.99"),
                new Sighting(PHONE, "192.168.10.7"), new Sighting(LAPTOP, "192.168.10.200"));

        assertThat(first).extracting(DeviceTransition::mac, DeviceTransition::ip).containsExactly(
                org.assertj.core.groups.Tuple.tuple(PHONE, "192.168.10.7"),
                org.assertj.core.groups.Tuple.tuple(LAPTOP, "192.168.10.200"));
        assertThat(scan(tracker, new Sighting(PHONE, "192.168.10.8"), new Sighting(LAPTOP, "192.168.10.200"))).isEmpty();
    }

    @Test
    void changesOfOneScanAreOrderedByTimeThenMac() {
        PresenceTracker tracker = new PresenceTracker(1);
        scan(tracker, new Sighting(LAPTOP, "192.168.10.200"));
        Instant laptopSeen = clock.instant();

        List<DeviceTransition> changes = scan(tracker, new Sighting(PHONE, "192.168.10.23"));

        assertThat(changes).containsExactly(
                new DeviceTransition(LAPTOP, null, OFFLINE, laptopSeen),
                new DeviceTransition(PHONE, "192.168.10.23", ONLINE, clock.instant()));
    }

    @Test
    void aRememberedDeviceThatLeftWhileTheAgentWasDownGoesOfflineAtItsLastSighting() {
        Instant beforeRestart = Instant.parse("2026-11-20T06:00:00Z");
        PresenceTracker tracker = new PresenceTracker(2, List.of(
                new PresenceTracker.TrackedDevice(PHONE, "192.168.10.23", beforeRestart, 0),
                new PresenceTracker.TrackedDevice(LAPTOP, "192.168.10.200", beforeRestart, 1)));

        List<DeviceTransition> first = scan(tracker, new Sighting(PHONE, "192.168.10.23"));
        List<DeviceTransition> second = scan(tracker, new Sighting(PHONE, "192.168.10.23"));

        // The phone is still there: no new "online"; the laptop had one miss already, so the first scan ends it.
        assertThat(first).containsExactly(new DeviceTransition(LAPTOP, null, OFFLINE, beforeRestart));
        assertThat(second).isEmpty();
        assertThat(tracker.snapshot()).singleElement().satisfies(d -> {
            assertThat(d.mac()).isEqualTo(PHONE);
            assertThat(d.lastSeen()).isEqualTo(clock.instant());
            assertThat(d.missedScans()).isZero();
        });
    }
}
