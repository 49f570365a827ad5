package dev.rollcall.projection.presence;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SiteTimelinesTest {

    static final Instant NINE = Instant.parse("2026-11-20T09:00:00Z");

    /** One thing an agent said: a device's change, or a heartbeat (listing some devices, scanning or not). */
    record Said(String site, Instant at, String mac, boolean online, boolean scanning, List<String> listed) {
        boolean isHeartbeat() {
            return listed != null;
        }
    }

    @Test
    void everyDeviceEndsInTheIntervalsOfItsOwnFold() {
        long base = new Random().nextLong();
        for (int trial = 0; trial < 300; trial++) {
            long seed = base + trial;
            Random random = new Random(seed);
            List<Said> stream = new ArrayList<>();
            List<String> sites = List.of("a", "b", "c").subList(0, 1 + random.nextInt(3));
            for (String site : sites) {
                List<String> macs = new ArrayList<>();
                for (int m = 0; m < 1 + random.nextInt(5); m++) {
                    macs.add(site + "-mac-" + m);
                }
                List<Said> ofSite = new ArrayList<>();
                Instant t = NINE;
                for (int k = 0; k < 60; k++) {
                    // often several things at the same instant, of every kind
                    t = t.plusSeconds(random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(600));
                    if (random.nextInt(3) == 0) {
                        List<String> listed = macs.stream().filter(m -> random.nextBoolean()).toList();
                        ofSite.add(new Said(site, t, null, false, random.nextInt(4) > 0, listed));
                    } else {
                        ofSite.add(new Said(site, t, macs.get(random.nextInt(macs.size())), random.nextBoolean(), false, null));
                    }
                }
                Collections.shuffle(ofSite, random); // any order within an instant: sorted by time only (stable)
                ofSite.sort((x, y) -> x.at().compareTo(y.at()));
                stream.addAll(ofSite);
            }

            Map<String, List<OnlineInterval>> folded = new TreeMap<>();
            SiteTimelines timelines = new SiteTimelines((site, mac, i) -> folded.computeIfAbsent(mac, k -> new ArrayList<>()).add(i));
            for (Said s : stream) {
                if (s.isHeartbeat()) {
                    timelines.heartbeat(s.site(), s.at(), s.scanning(), s.listed());
                } else {
                    timelines.change(s.site(), s.at(), s.mac(), s.online());
                }
            }
            timelines.finish();

            assertThat(folded).as("seed %d", seed).isEqualTo(expected(stream));
        }
    }

    /** Each device's observations as the live fold reads them, folded by {@link OnlineIntervals} device by device. */
    private static Map<String, List<OnlineInterval>> expected(List<Said> stream) {
        Map<String, List<DeviceObservation>> observations = new TreeMap<>();
        Map<String, String> siteOf = new TreeMap<>();
        stream.stream().filter(s -> !s.isHeartbeat()).forEach(s -> siteOf.put(s.mac(), s.site()));
        stream.stream().filter(Said::isHeartbeat).forEach(s -> s.listed().forEach(m -> siteOf.put(m, s.site())));
        for (Said s : stream) {
            UUID id = UUID.randomUUID();
            if (!s.isHeartbeat()) {
                observations.computeIfAbsent(s.mac(), k -> new ArrayList<>()).add(new DeviceObservation(id, s.at(),
                        s.online() ? DeviceObservation.Kind.ONLINE : DeviceObservation.Kind.OFFLINE));
                continue;
            }
            siteOf.forEach((mac, site) -> {
                if (site.equals(s.site()) && s.listed().contains(mac)) {
                    observations.computeIfAbsent(mac, k -> new ArrayList<>()).add(new DeviceObservation(id, s.at(), DeviceObservation.Kind.SEEN));
                } else if (site.equals(s.site()) && s.scanning()) {
                    observations.computeIfAbsent(mac, k -> new ArrayList<>()).add(new DeviceObservation(id, s.at(), DeviceObservation.Kind.MISSING));
                }
            });
        }
        Map<String, List<OnlineInterval>> out = new TreeMap<>();
        observations.forEach((mac, o) -> {
            List<OnlineInterval> intervals = OnlineIntervals.fold(o);
            if (!intervals.isEmpty()) {
                out.put(mac, intervals);
            }
        });
        return out;
    }

    @Test
    void anInstantsOpensComeBeforeItsOfflineChangesAndThoseBeforeItsMissingDevices() {
        List<String> found = new ArrayList<>();
        SiteTimelines timelines = new SiteTimelines((site, mac, i) -> found.add(mac + " " + i.start() + ".." + i.end() + " " + i.endedBy()));
        timelines.change("s", NINE, "x", true);
        timelines.change("s", NINE, "y", true);
        // at ten: x's offline change and a scan missing both name x's end (the change wins); y listed by one scanning
        // agent and missed by another: seen, then missed, at the same instant
        Instant ten = NINE.plusSeconds(3600);
        timelines.heartbeat("s", ten, true, Set.of("y"));
        timelines.heartbeat("s", ten, true, List.of());
        timelines.change("s", ten, "x", false);
        timelines.change("s", ten.plusSeconds(60), "z", true);
        timelines.change("s", ten.plusSeconds(60), "z", false);
        timelines.finish();
        assertThat(found).containsExactlyInAnyOrder("x " + NINE + ".." + ten + " OFFLINE", "y " + NINE + ".." + ten + " HEARTBEAT");
    }

    @Test
    void aDeviceStillOnlineAtTheEndOfItsSiteKeepsAnOpenInterval() {
        List<String> found = new ArrayList<>();
        SiteTimelines timelines = new SiteTimelines((site, mac, i) -> found.add(site + " " + mac + " " + i.isOpen()));
        timelines.heartbeat("a", NINE, false, List.of("x"));
        timelines.change("b", NINE, "x", true);
        timelines.change("b", NINE.plusSeconds(5), "x", false);
        timelines.finish();
        assertThat(found).containsExactly("a x true", "b x false");
    }

    @Test
    void outOfOrderInputIsRefused() {
        SiteTimelines timelines = new SiteTimelines((site, mac, i) -> { });
        timelines.change("a", NINE, "x", true);
        assertThatThrownBy(() -> timelines.change("a", NINE.minusSeconds(1), "x", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of time order");
        timelines.change("b", NINE, "x", true);
        assertThatThrownBy(() -> timelines.change("a", NINE.plusSeconds(1), "x", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after another site's");
    }
}
