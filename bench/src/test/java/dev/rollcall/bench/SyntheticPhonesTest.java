package dev.rollcall.bench;

import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.DeviceAssigned;
import dev.rollcall.events.DeviceState;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.Topic;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SyntheticPhonesTest {

    static SyntheticPhones.Settings settings(long seed, int employees, int days) {
        // 2024-03-04 is a Monday; the range crosses the switch to summer time on 2024-03-31
        return new SyntheticPhones.Settings(seed, employees, LocalDate.of(2024, 3, 4), days, ZoneId.of("Europe/Berlin"), "hq", 0.02);
    }

    static List<EventEnvelope> generate(SyntheticPhones.Settings s) {
        List<EventEnvelope> out = new ArrayList<>();
        new SyntheticPhones(s).generate(out::add);
        return out;
    }

    @Test
    void theSameSeedGivesTheSameRecordsAndAnotherSeedAnotherOffice() {
        List<EventEnvelope> a = generate(settings(7, 20, 5));
        assertThat(a).isNotEmpty().isEqualTo(generate(settings(7, 20, 5)));
        for (int i = 0; i < a.size(); i += 97) {
            assertThat(EventCodec.decode(EventCodec.encode(a.get(i)))).isEqualTo(a.get(i));
        }
        assertThat(generate(settings(8, 20, 5)).get(1).id()).isNotEqualTo(a.get(1).id());
    }

    @Test
    void theTotalsCountWhatWasDeliveredAndAboutTwoPercentAreSentTwice() {
        List<EventEnvelope> all = new ArrayList<>();
        SyntheticPhones.Totals totals = new SyntheticPhones(settings(42, 100, 14)).generate(all::add);
        Set<UUID> seen = new HashSet<>();
        long again = all.stream().filter(e -> !seen.add(e.id())).count();
        assertThat(totals.deliveries()).isEqualTo(all.size());
        assertThat(totals.duplicates()).isEqualTo(again);
        assertThat(totals.events()).isEqualTo(seen.size());
        assertThat(totals.events()).isEqualTo(totals.stateChanges() + totals.heartbeats() + totals.roster());
        assertThat(totals.roster()).isEqualTo(1 + 100 + 130); // the site, the employees, 3 in 10 with two phones
        assertThat((double) again / (totals.events() - totals.roster())).isCloseTo(0.02, within(0.004));
        assertThat(all.stream().filter(e -> e.topic() == Topic.ROSTER).count()).isEqualTo(totals.roster());
        assertThat(all.stream().filter(e -> e.topic() == Topic.PRESENCE).count()).isGreaterThan(1000);
    }

    @Test
    void eachPhoneAlternatesOnlineAndOfflineAndTheNetworkAgentListsTheOnesOnline() {
        List<EventEnvelope> all = generate(settings(3, 30, 7));
        Map<String, DeviceState> last = new HashMap<>();
        TreeSet<String> online = new TreeSet<>();
        Instant lastBeat = null;
        Set<UUID> seen = new HashSet<>();
        Set<String> assigned = new HashSet<>();
        for (EventEnvelope e : all) {
            if (!seen.add(e.id())) {
                continue; // a re-send
            }
            switch (e.data()) {
                case DeviceAssigned a -> assigned.add(a.mac());
                case DeviceStateChanged c -> {
                    assertThat(assigned).as("the roster comes first").contains(c.mac());
                    assertThat(last.put(c.mac(), c.state())).as(c.mac() + " at " + e.time()).isNotEqualTo(c.state());
                    if (c.state() == DeviceState.ONLINE) {
                        online.add(c.mac());
                    } else {
                        online.remove(c.mac());
                    }
                }
                case AgentHeartbeat h when h.lastScanMillis() != null -> {
                    assertThat(h.devicesOnline()).as("at " + e.time()).containsExactlyElementsOf(online);
                    if (lastBeat != null) {
                        assertThat(Duration.between(lastBeat, e.time())).isEqualTo(Duration.ofMinutes(5));
                    }
                    lastBeat = e.time();
                }
                case AgentHeartbeat h -> assertThat(h.devicesOnline()).isEmpty();
                default -> { }
            }
        }
        assertThat(online).as("every phone has gone home").isEmpty();
        assertThat(last).hasSize(30 + 9);
    }
}
