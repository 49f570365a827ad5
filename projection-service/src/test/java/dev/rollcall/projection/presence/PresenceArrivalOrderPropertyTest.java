package dev.rollcall.projection.presence;

import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.DeviceAssigned;
import dev.rollcall.events.DeviceReleased;
import dev.rollcall.events.DeviceState;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EmployeeUpdated;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.SiteConfigured;
import dev.rollcall.projection.roster.AssignmentChange;
import dev.rollcall.projection.roster.DeviceAssignment;
import dev.rollcall.projection.roster.DeviceAssignments;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: whatever order a site's presence, heartbeat and roster events arrive in, in whatever batches, with
 * whatever duplicates, the device intervals, sessions and days are those of folding everything in order.
 * Checked for the plain folds, and for the incremental recompute through {@link DeviceWindow} and
 * {@link SessionWindow} the way the projection applies batches to Postgres ({@link Mirror}).
 * A failure names its seed; {@code -Dproperty.seed=N} replays one.
 */
public class PresenceArrivalOrderPropertyTest {

    static final int TRIALS = 200;
    static final ZoneId DEFAULT_ZONE = ZoneId.of("UTC");
    static final Duration DEFAULT_GRACE = Duration.ofMinutes(5);

    @Test
    void anyPermutationAndDuplicationFoldsToTheOrderedResult() {
        for (long seed : seeds()) {
            Random random = new Random(seed);
            PresenceScenario s = PresenceScenario.random(random, "prop", Duration.ofHours(36));
            List<EventEnvelope> arrivals = duplicated(s.events(), random);
            Collections.shuffle(arrivals, random);
            assertThat(PresenceScenario.expected(arrivals, DEFAULT_ZONE, DEFAULT_GRACE)).as("seed %d", seed)
                    .isEqualTo(PresenceScenario.expected(s.events(), DEFAULT_ZONE, DEFAULT_GRACE));
        }
    }

    @Test
    void batchesInAnyOrderRecomputedThroughTheWindowsGiveTheOrderedResult() {
        for (long seed : seeds()) {
            Random random = new Random(seed);
            PresenceScenario s = PresenceScenario.random(random, "prop", Duration.ofHours(36));
            PresenceScenario.Expected expected = PresenceScenario.expected(s.events(), DEFAULT_ZONE, DEFAULT_GRACE);
            Mirror mirror = new Mirror();
            for (List<EventEnvelope> batch : arrivals(s.events(), random)) {
                mirror.apply(batch);
            }
            assertThat(mirror.intervals()).as("intervals, seed %d", seed).isEqualTo(expected.intervals());
            assertThat(mirror.sessions()).as("sessions, seed %d", seed).isEqualTo(expected.sessions());
            assertThat(mirror.days()).as("days, seed %d", seed).isEqualTo(expected.days());
        }
    }

    /**
     * In batches of 1 to 60: mostly in time order per topic, with some events held back for hours (an agent
     * that was offline), the roster sometimes all at the end, sometimes everything shuffled.
     */
    public static List<List<EventEnvelope>> arrivals(List<EventEnvelope> events, Random random) {
        List<EventEnvelope> arrivals = duplicated(events, random);
        Map<EventEnvelope, Instant> arrival = new IdentityHashMap<>();
        boolean rosterLast = random.nextBoolean();
        arrivals.forEach(e -> arrival.put(e, isRoster(e) && rosterLast ? Instant.MAX
                : e.time().plus(Duration.ofMinutes(random.nextInt(4) == 0 ? 300 : 0))));
        arrivals.sort(Comparator.comparing(arrival::get));
        if (random.nextInt(3) == 0) {
            Collections.shuffle(arrivals, random);
        }
        List<List<EventEnvelope>> batches = new ArrayList<>();
        for (int i = 0; i < arrivals.size(); ) {
            int n = 1 + random.nextInt(60);
            batches.add(List.copyOf(arrivals.subList(i, Math.min(arrivals.size(), i + n))));
            i += n;
        }
        return batches;
    }

    static boolean isRoster(EventEnvelope e) {
        return e.data() instanceof SiteConfigured || e.data() instanceof DeviceAssigned || e.data() instanceof DeviceReleased
                || e.data() instanceof EmployeeUpdated;
    }

    static List<EventEnvelope> duplicated(List<EventEnvelope> events, Random random) {
        List<EventEnvelope> out = new ArrayList<>(events);
        events.stream().filter(e -> random.nextInt(8) == 0).forEach(out::add);
        return out;
    }

    static long[] seeds() {
        String one = System.getProperty("property.seed");
        if (one != null) {
            return new long[] {Long.parseLong(one)};
        }
        long[] seeds = new long[TRIALS];
        long base = new Random().nextLong();
        for (int i = 0; i < TRIALS; i++) {
            seeds[i] = base + i;
        }
        return seeds;
    }

    /** What PresenceDayProjection does in Postgres, in memory, for one site: store, find the windows, recompute, replace. */
    static final class Mirror {
        static final Instant BEGINNING = Instant.parse("1900-01-01T00:00:00Z");

        final Map<UUID, EventEnvelope> stored = new LinkedHashMap<>();
        final Map<String, List<OnlineInterval>> intervals = new TreeMap<>();
        final Map<String, List<DeviceAssignment>> assignments = new TreeMap<>();
        EventEnvelope site;
        /** Sessions with the local date they were stored under. */
        final Map<String, Map<AttendanceSession, LocalDate>> sessions = new TreeMap<>();
        final Map<String, SortedMap<LocalDate, AttendanceDay>> days = new TreeMap<>();
        final Map<String, Instant[]> dirty = new LinkedHashMap<>();

        void apply(List<EventEnvelope> batch) {
            dirty.clear();
            applyRoster(batch);
            applyDevices(batch);
            recompute();
        }

        private void applyRoster(List<EventEnvelope> batch) {
            Set<String> macs = new LinkedHashSet<>();
            boolean siteTouched = false;
            for (EventEnvelope e : batch) {
                if (!isRoster(e)) {
                    continue;
                }
                stored.putIfAbsent(e.id(), e);
                if (e.data() instanceof DeviceAssigned a) {
                    macs.add(a.mac());
                } else if (e.data() instanceof DeviceReleased r) {
                    macs.add(r.mac());
                } else if (e.data() instanceof SiteConfigured) {
                    siteTouched = true;
                }
            }
            if (siteTouched) {
                Rules before = rules();
                boolean existed = site != null;
                for (EventEnvelope e : stored.values()) {
                    if (e.data() instanceof SiteConfigured && (site == null || e.time().isAfter(site.time())
                            || (e.time().equals(site.time()) && e.id().toString().compareTo(site.id().toString()) > 0))) {
                        site = e;
                    }
                }
                if (!existed || !before.equals(rules())) {
                    Set<String> everyone = new LinkedHashSet<>(sessions.keySet());
                    assignments.values().forEach(l -> l.forEach(a -> everyone.add(a.employeeId())));
                    everyone.forEach(e -> dirty(e, BEGINNING, null));
                }
            }
            for (String mac : macs) {
                List<AssignmentChange> changes = new ArrayList<>();
                for (EventEnvelope e : stored.values()) {
                    if (e.data() instanceof DeviceAssigned a && a.mac().equals(mac)) {
                        changes.add(AssignmentChange.assigned(e.id(), e.time(), a.employeeId(), a.label()));
                    } else if (e.data() instanceof DeviceReleased r && r.mac().equals(mac)) {
                        changes.add(AssignmentChange.released(e.id(), e.time()));
                    }
                }
                List<DeviceAssignment> now = DeviceAssignments.fold(mac, changes);
                Set<DeviceAssignment> was = new HashSet<>(assignments.getOrDefault(mac, List.of()));
                now.stream().filter(a -> !was.contains(a)).forEach(a -> dirty(a.employeeId(), a.validFrom(), a.validTo()));
                was.stream().filter(a -> !now.contains(a)).forEach(a -> dirty(a.employeeId(), a.validFrom(), a.validTo()));
                assignments.put(mac, now);
            }
        }

        private void applyDevices(List<EventEnvelope> batch) {
            Map<String, Instant[]> touched = new LinkedHashMap<>();
            for (EventEnvelope e : batch) {
                if (e.data() instanceof DeviceStateChanged c) {
                    at(touched, c.mac(), e.time());
                } else if (e.data() instanceof AgentHeartbeat h) {
                    h.devicesOnline().forEach(mac -> at(touched, mac, e.time()));
                    if (h.lastScanMillis() != null) {
                        intervals.forEach((mac, list) -> list.stream()
                                .filter(i -> !i.start().isAfter(e.time()) && (i.isOpen() || !i.end().isBefore(e.time())))
                                .findAny().ifPresent(i -> at(touched, mac, e.time())));
                    }
                }
            }
            Map<String, DeviceWindow> windows = new LinkedHashMap<>();
            touched.forEach((mac, range) -> {
                OnlineInterval around = intervals.getOrDefault(mac, List.of()).stream()
                        .filter(i -> i.start().isBefore(range[0]) && (i.isOpen() || !i.end().isBefore(range[0])))
                        .findAny().orElse(null);
                Instant closing = observations(mac).stream().filter(DeviceObservation::closes)
                        .map(DeviceObservation::at).filter(t -> !t.isBefore(range[1])).min(Comparator.naturalOrder()).orElse(null);
                windows.put(mac, DeviceWindow.of(range[0], range[1], around, closing));
            });
            for (EventEnvelope e : batch) {
                if (e.data() instanceof DeviceStateChanged || e.data() instanceof AgentHeartbeat) {
                    stored.putIfAbsent(e.id(), e);
                }
            }
            windows.forEach((mac, w) -> {
                List<DeviceObservation> in = observations(mac).stream().filter(o -> w.refolds(o.at())).toList();
                List<OnlineInterval> list = intervals.computeIfAbsent(mac, k -> new ArrayList<>());
                Set<OnlineInterval> replaced = new HashSet<>(list.stream().filter(i -> w.replaces(i.start())).toList());
                List<OnlineInterval> refolded = OnlineIntervals.fold(w.openSince(), in);
                list.removeIf(i -> w.replaces(i.start()));
                list.addAll(refolded);
                list.sort(Comparator.comparing(OnlineInterval::start));
                if (list.isEmpty()) {
                    intervals.remove(mac);
                }
                if (replaced.equals(new HashSet<>(refolded))) {
                    return; // nothing changed: nobody to recompute
                }
                for (DeviceAssignment a : assignments.getOrDefault(mac, List.of())) {
                    if (!a.validFrom().isAfter(w.to() == null ? Instant.MAX : w.to())
                            && (a.validTo() == null || !a.validTo().isBefore(w.replacesFrom()))) {
                        dirty(a.employeeId(), w.replacesFrom(), w.to());
                    }
                }
            });
        }

        private List<DeviceObservation> observations(String mac) {
            List<DeviceObservation> out = new ArrayList<>();
            for (EventEnvelope e : stored.values()) {
                if (e.data() instanceof DeviceStateChanged c && c.mac().equals(mac)) {
                    out.add(new DeviceObservation(e.id(), e.time(), c.state() == DeviceState.ONLINE
                            ? DeviceObservation.Kind.ONLINE : DeviceObservation.Kind.OFFLINE));
                } else if (e.data() instanceof AgentHeartbeat h) {
                    if (h.devicesOnline().contains(mac)) {
                        out.add(new DeviceObservation(e.id(), e.time(), DeviceObservation.Kind.SEEN));
                    } else if (h.lastScanMillis() != null) {
                        out.add(new DeviceObservation(e.id(), e.time(), DeviceObservation.Kind.MISSING));
                    }
                }
            }
            return out;
        }

        private void recompute() {
            Rules rules = rules();
            dirty.forEach((employee, range) -> {
                Map<AttendanceSession, LocalDate> mine = sessions.computeIfAbsent(employee, k -> new LinkedHashMap<>());
                SessionWindow reach = SessionWindow.reach(range[0], range[1], rules.grace());
                List<AttendanceSession> touching = mine.keySet().stream().filter(s -> reach.touches(s.start(), s.end())).toList();
                SessionWindow window = SessionWindow.around(range[0], range[1], touching);
                List<DeviceAssignment> theirs = new ArrayList<>();
                assignments.values().forEach(l -> l.stream().filter(a -> a.employeeId().equals(employee)).forEach(theirs::add));
                List<PresenceSpan> spans = Attendance.spans(intervals, theirs).stream()
                        .filter(s -> window.touches(s.start(), s.end())).toList();
                Set<LocalDate> dates = new HashSet<>();
                mine.entrySet().removeIf(e -> {
                    if (window.touches(e.getKey().start(), e.getKey().end())) {
                        dates.add(e.getValue());
                        return true;
                    }
                    return false;
                });
                for (AttendanceSession s : Attendance.sessions(spans, rules.grace())) {
                    mine.put(s, s.localDate(rules.zone()));
                    dates.add(s.localDate(rules.zone()));
                }
                SortedMap<LocalDate, AttendanceDay> theirDays = days.computeIfAbsent(employee, k -> new TreeMap<>());
                for (LocalDate d : dates) {
                    List<AttendanceSession> ofDay = mine.entrySet().stream().filter(e -> e.getValue().equals(d)).map(Map.Entry::getKey).toList();
                    AttendanceDay day = AttendanceDay.of(ofDay, rules.zone()).get(d);
                    if (day == null) {
                        theirDays.remove(d);
                    } else {
                        theirDays.put(d, day);
                    }
                }
            });
        }

        private Rules rules() {
            SiteConfigured s = site == null ? null : (SiteConfigured) site.data();
            return s == null ? new Rules(DEFAULT_ZONE, DEFAULT_GRACE) : new Rules(s.zone(), Duration.ofMinutes(s.presenceGraceMinutes()));
        }

        private void dirty(String employee, Instant from, Instant to) {
            dirty.merge(employee, new Instant[] {from, to}, (a, b) -> new Instant[] {
                    a[0].isBefore(b[0]) ? a[0] : b[0], a[1] == null || b[1] == null ? null : a[1].isAfter(b[1]) ? a[1] : b[1]});
        }

        private static void at(Map<String, Instant[]> touched, String mac, Instant t) {
            touched.merge(mac, new Instant[] {t, t}, (a, b) -> new Instant[] {
                    a[0].isBefore(b[0]) ? a[0] : b[0], a[1].isAfter(b[1]) ? a[1] : b[1]});
        }

        Map<String, List<OnlineInterval>> intervals() {
            return intervals;
        }

        Map<String, List<AttendanceSession>> sessions() {
            Map<String, List<AttendanceSession>> out = new TreeMap<>();
            sessions.forEach((e, s) -> {
                if (!s.isEmpty()) {
                    out.put(e, s.keySet().stream().sorted(Comparator.comparing(AttendanceSession::start)).toList());
                }
            });
            return out;
        }

        Map<String, SortedMap<LocalDate, AttendanceDay>> days() {
            Map<String, SortedMap<LocalDate, AttendanceDay>> out = new TreeMap<>();
            days.forEach((e, d) -> {
                if (!d.isEmpty()) {
                    out.put(e, d);
                }
            });
            return out;
        }

        record Rules(ZoneId zone, Duration grace) {
        }
    }
}
