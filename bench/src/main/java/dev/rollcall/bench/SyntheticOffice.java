package dev.rollcall.bench;

import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationStateChanged;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * An office's workstation reports over a stretch of days, as the work-tracing client sends them, in the order
 * they reach the event log. Deterministic: the same settings give the same deliveries, ids included.
 *
 * <p>A working day (Monday to Friday; 4% of person-days are off sick or on leave): the person arrives between
 * 08:00 and 09:30, works in stretches of 25 to 110 minutes with breaks of 5 to 45 minutes (one lunch break of
 * 30 to 60 minutes after noon), and leaves about 8¼ hours after arriving. While working the workstation reports
 * {@code working} every {@code cadence} (the client's report interval), and {@code stopped} when a stretch ends.
 *
 * <p>Deliveries: a {@code duplicateRate} share of reports is delivered a second time, the same envelope with the
 * same event id, 1 s to 2 min later (a re-send after a lost reply). A {@code lateRate} share is delivered late,
 * 1 minute to 4 hours after it happened (log-uniform: a client that was offline), so after newer reports of
 * the same person.
 */
public final class SyntheticOffice {

    public static final String SOURCE = "ingest/work-tracing";
    public static final double ABSENCE_RATE = 0.04;

    /**
     * @param firstDay the first calendar day; weekends in the range have no reports
     * @param days     calendar days (365 is a year)
     * @param cadence  how often a working workstation reports (the client's default is 1 minute)
     */
    public record Settings(long seed, int employees, LocalDate firstDay, int days, Duration cadence, ZoneId zone,
                           String site, double duplicateRate, double lateRate) {

        public Settings {
            if (employees < 1 || days < 1) {
                throw new IllegalArgumentException("employees and days must be positive");
            }
            if (cadence.isNegative() || cadence.isZero()) {
                throw new IllegalArgumentException("cadence must be positive");
            }
        }

        public LocalDate lastDay() {
            return firstDay.plusDays(days - 1L);
        }
    }

    public enum Kind { ON_TIME, LATE, DUPLICATE }

    /** One record as it reaches the log: the event and when it arrives. */
    public record Delivery(EventEnvelope event, Instant deliveredAt, Kind kind) {
    }

    /** What a generation produced. */
    public record Totals(long events, long deliveries, long duplicates, long late, long personDays) {
    }

    private final Settings settings;

    public SyntheticOffice(Settings settings) {
        this.settings = settings;
    }

    /** The login of employee {@code i} (0-based): {@code ACME\emp0001} … */
    public static String user(int i) {
        return String.format(Locale.ROOT, "ACME\\emp%04d", i + 1);
    }

    /** Hands every delivery to {@code sink} in delivery order; holds only about one day in memory. */
    public Totals generate(Consumer<Delivery> sink) {
        Random random = new Random(settings.seed());
        PriorityQueue<Pending> queue = new PriorityQueue<>(Comparator.comparing(Pending::at).thenComparingLong(Pending::seq));
        long[] counts = new long[5]; // events, deliveries, duplicates, late, person-days
        long seq = 0;
        for (int d = 0; d < settings.days(); d++) {
            LocalDate day = settings.firstDay().plusDays(d);
            if (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                for (int e = 0; e < settings.employees(); e++) {
                    if (random.nextDouble() < ABSENCE_RATE) {
                        continue;
                    }
                    counts[4]++;
                    for (Report r : workingDay(random, day)) {
                        EventEnvelope event = EventEnvelope.of(uuid(random), SOURCE, r.at(), settings.site(), user(e),
                                new WorkstationStateChanged(user(e), null, r.state()));
                        counts[0]++;
                        boolean late = random.nextDouble() < settings.lateRate();
                        Instant arrives = late ? r.at().plus(lateness(random)) : r.at();
                        queue.add(new Pending(arrives, seq++, new Delivery(event, arrives, late ? Kind.LATE : Kind.ON_TIME)));
                        if (late) {
                            counts[3]++;
                        }
                        if (random.nextDouble() < settings.duplicateRate()) {
                            Instant again = arrives.plusSeconds(1 + random.nextInt(120));
                            queue.add(new Pending(again, seq++, new Delivery(event, again, Kind.DUPLICATE)));
                            counts[2]++;
                        }
                    }
                }
            }
            // Reports of later days happen after the next midnight, so all that arrive before it can go now.
            Instant nextMidnight = day.plusDays(1).atStartOfDay(settings.zone()).toInstant();
            while (!queue.isEmpty() && queue.peek().at().isBefore(nextMidnight)) {
                sink.accept(queue.poll().delivery());
                counts[1]++;
            }
        }
        while (!queue.isEmpty()) {
            sink.accept(queue.poll().delivery());
            counts[1]++;
        }
        return new Totals(counts[0], counts[1], counts[2], counts[3], counts[4]);
    }

    private record Report(Instant at, WorkstationState state) {
    }

    private record Pending(Instant at, long seq, Delivery delivery) {
    }

    private List<Report> workingDay(Random random, LocalDate day) {
        List<Report> out = new ArrayList<>();
        LocalDateTime t = day.atTime(LocalTime.of(8, 0)).plusSeconds(random.nextInt(90 * 60));
        LocalDateTime leave = t.plusMinutes(8 * 60 + 15 - 45 + random.nextInt(120));
        LocalDateTime noon = day.atTime(LocalTime.NOON);
        boolean lunched = false;
        while (t.isBefore(leave)) {
            LocalDateTime end = t.plusMinutes(25 + random.nextInt(86));
            if (end.isAfter(leave)) {
                end = leave;
            }
            for (LocalDateTime s = t; s.isBefore(end); s = s.plus(settings.cadence())) {
                out.add(new Report(s.atZone(settings.zone()).toInstant(), WorkstationState.WORKING));
            }
            out.add(new Report(end.atZone(settings.zone()).toInstant(), WorkstationState.STOPPED));
            boolean lunch = !lunched && end.isAfter(noon);
            lunched |= lunch;
            t = end.plusMinutes(lunch ? 30 + random.nextInt(31) : 5 + random.nextInt(41));
        }
        return out;
    }

    /** 1 minute to 4 hours, log-uniform: most late reports are a little late, a few very. */
    private static Duration lateness(Random random) {
        double min = Math.log(60);
        double max = Math.log(4 * 3600);
        return Duration.ofSeconds(Math.round(Math.exp(min + random.nextDouble() * (max - min))));
    }

    /** A version-4 UUID from the seeded generator. */
    static UUID uuid(Random random) {
        long hi = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo);
    }
}
