package dev.rollcall.projection.presence;

import dev.rollcall.projection.presence.DeviceObservation.Kind;
import dev.rollcall.projection.presence.OnlineInterval.EndedBy;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class OnlineIntervalsTest {

    static final Instant NINE = Instant.parse("2026-11-20T09:00:00Z");

    @Test
    void anOnlineChangeOpensAndAnOfflineChangeCloses() {
        assertThat(OnlineIntervals.fold(List.of(obs(1, "09:00", Kind.ONLINE), obs(2, "12:00", Kind.OFFLINE),
                obs(3, "13:00", Kind.ONLINE)))).containsExactly(
                new OnlineInterval(at("09:00"), at("12:00"), EndedBy.OFFLINE),
                OnlineInterval.open(at("13:00")));
    }

    @Test
    void repeatedChangesOfTheSameStateChangeNothing() {
        assertThat(OnlineIntervals.fold(List.of(obs(1, "09:00", Kind.ONLINE), obs(2, "10:00", Kind.ONLINE),
                obs(3, "12:00", Kind.OFFLINE), obs(4, "12:30", Kind.OFFLINE))))
                .containsExactly(new OnlineInterval(at("09:00"), at("12:00"), EndedBy.OFFLINE));
    }

    @Test
    void aHeartbeatListingADeviceWithNoOpenIntervalOpensOneThenTheLostOnlineIsCorrected() {
        assertThat(OnlineIntervals.fold(List.of(obs(1, "09:05", Kind.SEEN), obs(2, "09:10", Kind.SEEN),
                obs(3, "11:00", Kind.OFFLINE)))).containsExactly(new OnlineInterval(at("09:05"), at("11:00"), EndedBy.OFFLINE));
    }

    @Test
    void aScanningHeartbeatNoLongerListingAnOpenDeviceClosesItAtTheHeartbeatTheLostOfflineIsCorrected() {
        assertThat(OnlineIntervals.fold(List.of(obs(1, "09:00", Kind.ONLINE), obs(2, "09:05", Kind.SEEN),
                obs(3, "09:10", Kind.MISSING), obs(4, "09:15", Kind.MISSING)))).containsExactly(
                new OnlineInterval(at("09:00"), at("09:10"), EndedBy.HEARTBEAT));
    }

    @Test
    void anOnlineAndAnOfflineAtTheSameInstantMakeNothingAndLeaveTheDeviceOffline() {
        assertThat(OnlineIntervals.fold(List.of(obs(2, "09:00", Kind.OFFLINE), obs(1, "09:00", Kind.ONLINE)))).isEmpty();
        // an offline change and a heartbeat closing at the same instant: the change names the end
        assertThat(OnlineIntervals.fold(List.of(obs(1, "08:00", Kind.ONLINE), obs(2, "09:00", Kind.MISSING),
                obs(3, "09:00", Kind.OFFLINE)))).containsExactly(new OnlineInterval(at("08:00"), at("09:00"), EndedBy.OFFLINE));
    }

    @Test
    void aDuplicateIdCountsOnceEvenWhenItArrivesWithAnotherTime() {
        DeviceObservation online = obs(1, "09:00", Kind.ONLINE);
        assertThat(OnlineIntervals.fold(List.of(online, obs(2, "10:00", Kind.OFFLINE), online, online)))
                .containsExactly(new OnlineInterval(at("09:00"), at("10:00"), EndedBy.OFFLINE));
    }

    @Test
    void theFoldCanStartOnlineAsTheStoredIntervalBeforeAWindowSays() {
        assertThat(OnlineIntervals.fold(at("08:00"), List.of(obs(1, "09:00", Kind.ONLINE), obs(2, "10:00", Kind.OFFLINE))))
                .containsExactly(new OnlineInterval(at("08:00"), at("10:00"), EndedBy.OFFLINE));
        assertThat(OnlineIntervals.fold(at("08:00"), List.of())).containsExactly(OnlineInterval.open(at("08:00")));
    }

    @Test
    void theWindowStartsWhereTheStoredIntervalReachesAndEndsAtTheNextStoredClosing() {
        DeviceWindow w = DeviceWindow.of(at("10:00"), at("11:00"),
                new OnlineInterval(at("09:00"), at("10:00"), EndedBy.OFFLINE), at("12:00"));
        assertThat(w.replacesFrom()).isEqualTo(at("09:00"));
        assertThat(w.refolds(at("10:00"))).isTrue();
        assertThat(w.refolds(at("09:59"))).isFalse();
        assertThat(w.refolds(at("12:00"))).isTrue();
        assertThat(w.refolds(at("12:01"))).isFalse();
        assertThat(w.replaces(at("09:00"))).isTrue();
        DeviceWindow open = DeviceWindow.of(at("10:00"), at("11:00"), null, null);
        assertThat(open.replacesFrom()).isEqualTo(at("10:00"));
        assertThat(open.refolds(at("23:59"))).isTrue();
    }

    static DeviceObservation obs(int id, String hhmm, Kind kind) {
        return new DeviceObservation(new UUID(0, id), at(hhmm), kind);
    }

    static Instant at(String hhmm) {
        return Instant.parse("2026-11-20T" + hhmm + ":00Z");
    }
}
