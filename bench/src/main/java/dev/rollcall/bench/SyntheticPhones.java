package dev.rollcall.bench;

import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.DeviceAssigned;
import dev.rollcall.events.DeviceState;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EmployeeUpdated;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.RollcallEvent;
import dev.rollcall.events.SiteConfigured;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * An office's network presence over a stretch of days, as presence-day reads it from three topics, in the order the
 * records reach the log. Deterministic: the same settings give the same deliveries, ids included.
 *
 * <ul>
 *   <li><b>The roster</b> (rollcall.roster), a day before the first: the site (grace {@value #GRACE_MINUTES} min),
 *       each employee, and each employee's phones: one, or two for 3 in 10 employees.</li>
 *   <li><b>The phones</b> (rollcall.presence), as the site's network agent reports them: on a working day (Monday to
 *       Friday, 4% of person-days absent) a phone comes online 3 minutes before to 10 minutes after its owner arrives
 *       (08:00 to 09:30), drops off the network 0 to 4 times for 2 to 25 minutes (a sleeping radio), and goes offline
 *       up to 10 minutes after its owner leaves (about 8¼ hours after arriving).</li>
 *   <li><b>Heartbeats</b> (rollcall.agents), every 5 minutes: the network agent's, day and night, listing the phones
 *       online; and each employee's workstation agent's, while their PC is on (arrival to leaving), listing none.</li>
 * </ul>
 * A {@code duplicateRate} share of the phones' changes and of the heartbeats is delivered a second time, the same
 * envelope, 1 s to 2 min later (a re-send after a lost reply).
 */
public final class SyntheticPhones {

    /** The network agent's id (its heartbeats' and changes' source is {@code agent/<id>}, as the agent's own). */
    public static final String NETWORK_AGENT = "network-hq";
    public static final int GRACE_MINUTES = 10;
    private static final Duration HEARTBEAT = Duration.ofMinutes(5);

    public record Settings(long seed, int employees, LocalDate firstDay, int days, ZoneId zone, String site,
                           double duplicateRate) {

        public Settings {
            if (employees < 1 || days < 1) {
                throw new IllegalArgumentException("employees and days must be positive");
            }
        }
    }

    /** What a generation produced: {@code events} distinct, {@code deliveries} records in all. */
    public record Totals(long events, long deliveries, long duplicates, long stateChanges, long heartbeats, long roster) {
    }

    private final Settings settings;

    public SyntheticPhones(Settings settings) {
        this.settings = settings;
    }

    /** The roster id of employee {@code i} (0-based): {@code emp0001} … */
    static String employee(int i) {
        return String.format(Locale.ROOT, "emp%04d", i + 1);
    }

    /** Phone {@code p} of employee {@code i}: a universally administered address, as a phone's own. */
    static String mac(int i, int p) {
        return String.format(Locale.ROOT, "3c:22:fb:%02x:%02x:%02x", p, (i >> 8) & 0xff, i & 0xff);
    }

    static int phones(int i) {
        return i % 10 < 3 ? 2 : 1;
    }

    /** Hands every record to {@code sink} in delivery order; holds only about one day in memory. */
    public Totals generate(Consumer<EventEnvelope> sink) {
        Random random = new Random(settings.seed());
        long[] counts = new long[6]; // events, deliveries, duplicates, state changes, heartbeats, roster
        Instant rosterAt = settings.firstDay().minusDays(1).atStartOfDay(settings.zone()).toInstant();
        List<EventEnvelope> roster = new ArrayList<>();
        roster.add(event(random, rosterAt, settings.site(), new SiteConfigured("HQ", settings.zone(), GRACE_MINUTES)));
        for (int e = 0; e < settings.employees(); e++) {
            roster.add(event(random, rosterAt, employee(e), new EmployeeUpdated(employee(e), "Employee " + (e + 1), true)));
            for (int p = 0; p < phones(e); p++) {
                roster.add(event(random, rosterAt, mac(e, p), new DeviceAssigned(mac(e, p), employee(e), p == 0 ? "phone" : "second phone")));
            }
        }
        roster.forEach(sink);
        counts[0] += roster.size();
        counts[1] += roster.size();
        counts[5] = roster.size();

        PriorityQueue<Pending> queue = new PriorityQueue<>(Comparator.comparing(Pending::at).thenComparingLong(Pending::seq));
        long[] seq = {0};
        Consumer<EventEnvelope> deliver = ev -> {
            counts[0]++;
            queue.add(new Pending(ev.time(), seq[0]++, ev));
            if (random.nextDouble() < settings.duplicateRate()) {
                queue.add(new Pending(ev.time().plusSeconds(1 + random.nextInt(120)), seq[0]++, ev));
                counts[2]++;
            }
        };
        Instant agentStarted = rosterAt;
        for (int d = 0; d < settings.days(); d++) {
            LocalDate day = settings.firstDay().plusDays(d);
            Instant midnight = day.atStartOfDay(settings.zone()).toInstant();
            Instant nextMidnight = day.plusDays(1).atStartOfDay(settings.zone()).toInstant();
            // each phone's changes of the day, by time: true = online
            TreeMap<Instant, List<Change>> changes = new TreeMap<>();
            if (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                for (int e = 0; e < settings.employees(); e++) {
                    if (random.nextDouble() < SyntheticOffice.ABSENCE_RATE) {
                        continue;
                    }
                    Instant arrive = day.atTime(LocalTime.of(8, 0)).atZone(settings.zone()).toInstant().plusSeconds(random.nextInt(90 * 60));
                    Instant leave = arrive.plus(Duration.ofMinutes(8 * 60 + 15 - 45 + random.nextInt(120)));
                    for (int p = 0; p < phones(e); p++) {
                        phoneDay(random, mac(e, p), arrive.plusSeconds(random.nextInt(13 * 60) - 3 * 60),
                                leave.plusSeconds(random.nextInt(10 * 60)), changes);
                    }
                    String agent = "ws-" + employee(e);
                    for (Instant t = arrive; t.isBefore(leave); t = t.plus(HEARTBEAT)) {
                        deliver.accept(event(random, t, agent, new AgentHeartbeat(agent, "1.4.0", "pc-" + employee(e), "Windows 11",
                                Duration.between(arrive, t).toSeconds(), 0, null, List.of(), null, false)));
                        counts[4]++;
                    }
                }
            }
            // the network agent: each change as it sees it, a heartbeat with the phones online every 5 minutes
            TreeSet<String> online = new TreeSet<>();
            Instant beat = midnight;
            for (var at : changes.entrySet()) {
                while (beat.isBefore(at.getKey())) {
                    networkHeartbeat(random, beat, agentStarted, online, deliver);
                    counts[4]++;
                    beat = beat.plus(HEARTBEAT);
                }
                for (Change c : at.getValue()) {
                    if (c.online() ? online.add(c.mac()) : online.remove(c.mac())) {
                        deliver.accept(event(random, at.getKey(), c.mac(), new DeviceStateChanged(c.mac(), null,
                                c.online() ? DeviceState.ONLINE : DeviceState.OFFLINE)));
                        counts[3]++;
                    }
                }
            }
            for (; beat.isBefore(nextMidnight); beat = beat.plus(HEARTBEAT)) {
                networkHeartbeat(random, beat, agentStarted, online, deliver);
                counts[4]++;
            }
            // everything of this day happened before the next midnight; re-sends may arrive just after it
            while (!queue.isEmpty() && queue.peek().at().isBefore(nextMidnight)) {
                sink.accept(queue.poll().event());
                counts[1]++;
            }
        }
        while (!queue.isEmpty()) {
            sink.accept(queue.poll().event());
            counts[1]++;
        }
        return new Totals(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
    }

    private record Change(String mac, boolean online) {
    }

    private record Pending(Instant at, long seq, EventEnvelope event) {
    }

    /** A phone's day: online from {@code on} to {@code off}, with a few short drops in between. */
    private static void phoneDay(Random random, String mac, Instant on, Instant off, TreeMap<Instant, List<Change>> changes) {
        changes.computeIfAbsent(on, t -> new ArrayList<>()).add(new Change(mac, true));
        long span = Duration.between(on, off).toSeconds();
        TreeSet<Long> drops = new TreeSet<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            drops.add(600 + (long) (random.nextDouble() * Math.max(1, span - 3600)));
        }
        long free = 0;
        for (long at : drops) {
            long length = 120 + random.nextInt(23 * 60);
            if (at < free || at + length + 60 >= span) {
                continue;
            }
            changes.computeIfAbsent(on.plusSeconds(at), t -> new ArrayList<>()).add(new Change(mac, false));
            changes.computeIfAbsent(on.plusSeconds(at + length), t -> new ArrayList<>()).add(new Change(mac, true));
            free = at + length + 60;
        }
        changes.computeIfAbsent(off, t -> new ArrayList<>()).add(new Change(mac, false));
    }

    private void networkHeartbeat(Random random, Instant at, Instant started, TreeSet<String> online,
                                  Consumer<EventEnvelope> deliver) {
        deliver.accept(event(random, at, NETWORK_AGENT, new AgentHeartbeat(NETWORK_AGENT, "1.4.0", "scanner-hq", "Linux",
                Duration.between(started, at).toSeconds(), 0, 1800L, List.copyOf(online), null, false)));
    }

    private EventEnvelope event(Random random, Instant at, String subject, RollcallEvent data) {
        String source = switch (data) {
            case AgentHeartbeat h -> "agent/" + h.agentId();
            case DeviceStateChanged c -> "agent/" + NETWORK_AGENT;
            default -> "report-service/roster";
        };
        return EventEnvelope.of(SyntheticOffice.uuid(random), source, at, settings.site(), subject, data);
    }
}
