package dev.rollcall.projection.presence;

import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.DeviceAssigned;
import dev.rollcall.events.DeviceReleased;
import dev.rollcall.events.DeviceState;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EmployeeUpdated;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.RollcallEvent;
import dev.rollcall.events.SiteConfigured;
import dev.rollcall.projection.roster.AssignmentChange;
import dev.rollcall.projection.roster.DeviceAssignment;
import dev.rollcall.projection.roster.DeviceAssignments;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A random day and a half of one site, as its agents and its roster would tell it: phones coming and going
 * (flapping, two radios), a scanning agent's changes (some lost, some repeated) and heartbeats every 5 minutes,
 * a workstation agent's heartbeats, and roster events assigning, reassigning and releasing devices and
 * (re)configuring the site. {@link #expected} is what folding all of it at once, in order, gives.
 */
public record PresenceScenario(String site, List<EventEnvelope> events) {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Instant[] STARTS = {Instant.parse("2026-03-28T19:00:00Z"), Instant.parse("2026-10-24T19:00:00Z"),
            Instant.parse("2026-11-20T05:00:00Z")};
    static final long[] STRETCH_SECONDS = {30, 120, 240, 299, 300, 301, 360, 1200, 3600, 7200, 14400};

    public static PresenceScenario random(Random random, String site, Duration length) {
        Instant start = STARTS[random.nextInt(STARTS.length)].plusSeconds(random.nextInt(3600));
        Instant end = start.plus(length);
        List<EventEnvelope> out = new ArrayList<>();
        int macs = 2 + random.nextInt(4);
        List<String> devices = new ArrayList<>();
        for (int m = 0; m < macs; m++) {
            devices.add(String.format("3c:22:fb:00:%02x:%02x", random.nextInt(256), m));
        }
        String[] employees = {"e-1", "e-2", "e-3"};

        // the roster: the site, its employees, assignments changing now and then
        int grace = new int[] {0, 5, 5, 10}[random.nextInt(4)];
        out.add(event(site, start.minus(Duration.ofDays(1)), site, new SiteConfigured("Site", BERLIN, grace)));
        if (random.nextInt(3) == 0) {
            out.add(event(site, start.plus(length.dividedBy(2)), site, new SiteConfigured("Site", BERLIN, random.nextInt(15))));
        }
        for (String e : employees) {
            out.add(event(site, start.minus(Duration.ofDays(1)), e, new EmployeeUpdated(e, "Employee " + e, true)));
        }
        for (String mac : devices) {
            Instant t = random.nextBoolean() ? start.minus(Duration.ofHours(1)) : start.plusSeconds(random.nextInt(7200));
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes && t.isBefore(end); c++) {
                out.add(event(site, t, mac, random.nextInt(5) == 0 && c > 0 ? new DeviceReleased(mac)
                        : new DeviceAssigned(mac, employees[random.nextInt(employees.length)], null)));
                t = t.plusSeconds(1800 + random.nextInt(20 * 3600));
            }
        }

        // what is true: each device's online stretches
        Map<String, TreeMap<Instant, Boolean>> truth = new LinkedHashMap<>();
        for (String mac : devices) {
            TreeMap<Instant, Boolean> changes = new TreeMap<>();
            boolean online = random.nextBoolean();
            Instant t = start;
            changes.put(t, online);
            while (t.isBefore(end)) {
                t = t.plusSeconds(STRETCH_SECONDS[random.nextInt(STRETCH_SECONDS.length)]);
                online = !online;
                changes.put(t, online);
            }
            truth.put(mac, changes);
        }
        // what the scanning agent says: changes (a tenth lost, some said twice), heartbeats listing who is online
        for (Map.Entry<String, TreeMap<Instant, Boolean>> d : truth.entrySet()) {
            for (Map.Entry<Instant, Boolean> c : d.getValue().entrySet()) {
                if (random.nextInt(10) == 0) {
                    continue;
                }
                DeviceState state = c.getValue() ? DeviceState.ONLINE : DeviceState.OFFLINE;
                out.add(event(site, c.getKey(), d.getKey(), new DeviceStateChanged(d.getKey(), c.getValue() ? "10.0.0.7" : null, state)));
                if (random.nextInt(20) == 0) {
                    out.add(event(site, c.getKey().plusSeconds(60), d.getKey(), new DeviceStateChanged(d.getKey(), null, state)));
                }
            }
        }
        for (Instant t = start.plusSeconds(random.nextInt(300)); t.isBefore(end); t = t.plusSeconds(300)) {
            if (random.nextInt(30) == 0) {
                continue; // a heartbeat lost too
            }
            Instant now = t;
            List<String> online = truth.entrySet().stream()
                    .filter(d -> d.getValue().floorEntry(now) != null && d.getValue().floorEntry(now).getValue())
                    .map(Map.Entry::getKey).toList();
            out.add(event(site, t, "agent-net", new AgentHeartbeat("agent-net", "1.0", "scanner", "linux", 60, 0, 800L, online)));
            if (random.nextInt(12) == 0) {
                out.add(event(site, t.plusSeconds(7), "agent-pc", new AgentHeartbeat("agent-pc", "1.0", "pc-1", "windows", 60, 0, null, List.of())));
            }
        }
        out.sort(Comparator.comparing(EventEnvelope::time));
        return new PresenceScenario(site, List.copyOf(out));
    }

    static EventEnvelope event(String site, Instant at, String subject, RollcallEvent data) {
        return EventEnvelope.of(UUID.randomUUID(), "test", at, site, subject, data);
    }

    /** Everything folded at once: each device's intervals, each employee's sessions and days. */
    public record Expected(Map<String, List<OnlineInterval>> intervals, Map<String, List<AttendanceSession>> sessions,
                           Map<String, SortedMap<LocalDate, AttendanceDay>> days) {
    }

    public static Expected expected(List<EventEnvelope> events, ZoneId defaultZone, Duration defaultGrace) {
        Map<UUID, EventEnvelope> once = new LinkedHashMap<>();
        events.forEach(e -> once.putIfAbsent(e.id(), e));
        Map<String, List<DeviceObservation>> observations = new TreeMap<>();
        Map<String, List<AssignmentChange>> changes = new TreeMap<>();
        EventEnvelope config = null;
        List<EventEnvelope> heartbeats = new ArrayList<>();
        for (EventEnvelope e : once.values()) {
            switch (e.data()) {
                case DeviceStateChanged c -> observations.computeIfAbsent(c.mac(), k -> new ArrayList<>()).add(new DeviceObservation(
                        e.id(), e.time(), c.state() == DeviceState.ONLINE ? DeviceObservation.Kind.ONLINE : DeviceObservation.Kind.OFFLINE));
                case AgentHeartbeat h -> heartbeats.add(e);
                case DeviceAssigned a -> changes.computeIfAbsent(a.mac(), k -> new ArrayList<>())
                        .add(AssignmentChange.assigned(e.id(), e.time(), a.employeeId(), a.label()));
                case DeviceReleased r -> changes.computeIfAbsent(r.mac(), k -> new ArrayList<>()).add(AssignmentChange.released(e.id(), e.time()));
                case SiteConfigured s -> {
                    if (config == null || e.time().isAfter(config.time())
                            || (e.time().equals(config.time()) && e.id().toString().compareTo(config.id().toString()) > 0)) {
                        config = e;
                    }
                }
                default -> {
                }
            }
        }
        // every device a change, an assignment or a heartbeat named
        TreeSet<String> macs = new TreeSet<>(observations.keySet());
        macs.addAll(changes.keySet());
        heartbeats.forEach(e -> macs.addAll(((AgentHeartbeat) e.data()).devicesOnline()));
        for (String mac : macs) {
            List<DeviceObservation> obs = observations.computeIfAbsent(mac, k -> new ArrayList<>());
            for (EventEnvelope e : heartbeats) {
                AgentHeartbeat h = (AgentHeartbeat) e.data();
                if (h.devicesOnline().contains(mac)) {
                    obs.add(new DeviceObservation(e.id(), e.time(), DeviceObservation.Kind.SEEN));
                } else if (h.lastScanMillis() != null) {
                    obs.add(new DeviceObservation(e.id(), e.time(), DeviceObservation.Kind.MISSING));
                }
            }
        }
        Map<String, List<OnlineInterval>> intervals = new TreeMap<>();
        observations.forEach((mac, obs) -> {
            List<OnlineInterval> folded = OnlineIntervals.fold(obs);
            if (!folded.isEmpty()) {
                intervals.put(mac, folded);
            }
        });
        Map<String, List<DeviceAssignment>> byEmployee = new TreeMap<>();
        changes.forEach((mac, c) -> DeviceAssignments.fold(mac, c)
                .forEach(a -> byEmployee.computeIfAbsent(a.employeeId(), k -> new ArrayList<>()).add(a)));
        SiteConfigured site = config == null ? null : (SiteConfigured) config.data();
        ZoneId zone = site == null ? defaultZone : site.zone();
        Duration grace = site == null ? defaultGrace : Duration.ofMinutes(site.presenceGraceMinutes());
        Map<String, List<AttendanceSession>> sessions = new TreeMap<>();
        Map<String, SortedMap<LocalDate, AttendanceDay>> days = new TreeMap<>();
        byEmployee.forEach((employee, assignments) -> {
            List<AttendanceSession> s = Attendance.sessions(Attendance.spans(intervals, assignments), grace);
            if (!s.isEmpty()) {
                sessions.put(employee, s);
                days.put(employee, AttendanceDay.of(s, zone));
            }
        });
        return new Expected(intervals, sessions, days);
    }
}
