package dev.rollcall.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the agent renews its credential, and that the new one lands in the file whole, owner-only, before use. */
class CredentialRenewalTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration VALIDITY = Duration.ofDays(90);

    @TempDir
    Path dir;

    /** A clock the test moves. */
    static final class FakeClock extends Clock {
        Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    static AgentCredential credential(String secret, Instant issued, Instant expires) {
        return AgentCredential.parse("hq-agent01." + secret).withLifetime(new AgentCredential.Lifetime(issued, expires));
    }

    final FakeClock clock = new FakeClock();
    final List<AgentCredential> presented = new ArrayList<>();
    final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> 1.0);

    /** The server: renews to secret-N, valid VALIDITY from now. */
    CredentialRenewal.Exchange server = (current, now) -> {
        presented.add(current);
        return AgentCredential.parse("hq-agent01.secret-" + presented.size())
                .withLifetime(new AgentCredential.Lifetime(now, now.plus(VALIDITY)));
    };

    Path file(String text) throws IOException {
        Path f = dir.resolve("agent.credential");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    CredentialRenewal renewal(Path f) throws IOException {
        return new CredentialRenewal(AgentCredential.read(f), f, (c, now) -> server.renew(c, now), clock, backoff);
    }

    @Test
    void renewsWhenAThirdOfTheValidityIsLeft() {
        assertThat(CredentialRenewal.renewAt(credential("s", T0, T0.plus(VALIDITY)))).contains(T0.plus(Duration.ofDays(60)));
        assertThat(CredentialRenewal.renewAt(credential("s", T0, T0.plusSeconds(9)))).contains(T0.plusSeconds(6));
        assertThat(CredentialRenewal.renewAt(credential("s", T0, null))).as("never expires").isEmpty();
        assertThat(CredentialRenewal.renewAt(AgentCredential.parse("hq-agent01.s"))).as("unknown: at once").contains(Instant.EPOCH);
        assertThat(CredentialRenewal.renewAt(credential("s", T0, T0))).as("no validity: at once").contains(Instant.EPOCH);
    }

    @Test
    void waitsUntilDueThenRenewsWritesTheFileAndUsesTheNewOne() throws Exception {
        Path f = file(credential("old", T0, T0.plus(VALIDITY)).fileText());
        CredentialRenewal renewal = renewal(f);

        clock.now = T0.plus(Duration.ofDays(60)).minus(Duration.ofMinutes(1));
        assertThat(renewal.step()).contains(Duration.ofMinutes(1));
        assertThat(presented).isEmpty();
        clock.now = T0.plus(Duration.ofDays(1));
        assertThat(renewal.step()).as("at most an hour between looks").contains(CredentialRenewal.MAX_WAIT);

        clock.now = T0.plus(Duration.ofDays(60));
        Optional<Duration> next = renewal.step();

        assertThat(presented).extracting(AgentCredential::bearerToken).containsExactly("hq-agent01.old");
        assertThat(renewal.get().bearerToken()).isEqualTo("hq-agent01.secret-1");
        assertThat(next).contains(CredentialRenewal.MAX_WAIT);
        AgentCredential stored = AgentCredential.read(f);
        assertThat(stored.bearerToken()).isEqualTo("hq-agent01.secret-1");
        assertThat(stored.lifetime()).contains(new AgentCredential.Lifetime(clock.now, clock.now.plus(VALIDITY)));
        assertThat(Files.readString(f)).isEqualTo("hq-agent01.secret-1\nissued-at=2026-03-02T00:00:00Z\n"
                + "expires-at=2026-05-31T00:00:00Z\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactly(f);
        }
        assertThat(renewal.toString()).doesNotContain("secret-1");
    }

    @Test
    void aFailureKeepsTheCurrentCredentialAndRetriesWithBackoff() throws Exception {
        String before = credential("old", T0, T0.plus(VALIDITY)).fileText();
        Path f = file(before);
        CredentialRenewal.Exchange working = server;
        server = (c, now) -> {
            throw new IOException("connection refused");
        };
        CredentialRenewal renewal = renewal(f);
        clock.now = T0.plus(Duration.ofDays(61));

        assertThat(renewal.step()).contains(Duration.ofSeconds(1));
        assertThat(renewal.step()).contains(Duration.ofSeconds(2));
        server = (c, now) -> {
            throw new EnrollmentClient.Refused(503, "busy");
        };
        assertThat(renewal.step()).contains(Duration.ofSeconds(4));
        server = (c, now) -> {
            throw new EnrollmentClient.Refused(401, "the credential expired at …");
        };
        assertThat(renewal.step()).contains(Shipper.REFUSED_RETRY);
        assertThat(renewal.get().bearerToken()).isEqualTo("hq-agent01.old");
        assertThat(Files.readString(f)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }

        server = working;
        renewal.step();
        assertThat(renewal.get().bearerToken()).isEqualTo("hq-agent01.secret-1");
    }

    @Test
    void aServerWithoutRenewalOrAConfiguredAgentEndsTheRenewals() throws Exception {
        for (int status : new int[] {404, 409}) {
            Path f = file("hq-agent01.old\n");
            server = (c, now) -> {
                throw new EnrollmentClient.Refused(status, "no");
            };
            CredentialRenewal renewal = renewal(f);
            assertThat(renewal.step()).as("status " + status).isEmpty();
            assertThat(Files.readString(f)).isEqualTo("hq-agent01.old\n");
        }
    }

    @Test
    void aOneLineFileOfAnOlderAgentWorksAndIsRenewedAtOnceToLearnItsLifetime() throws Exception {
        Path f = file("hq-agent01.old\n");
        AgentCredential old = AgentCredential.read(f);
        assertThat(old.bearerToken()).isEqualTo("hq-agent01.old");
        assertThat(old.lifetime()).isEmpty();

        CredentialRenewal renewal = renewal(f);
        assertThat(renewal.get().bearerToken()).isEqualTo(old.bearerToken());
        renewal.step();

        assertThat(presented).extracting(AgentCredential::bearerToken).containsExactly("hq-agent01.old");
        assertThat(AgentCredential.read(f).lifetime()).contains(new AgentCredential.Lifetime(T0, T0.plus(VALIDITY)));
    }

    @Test
    void aCredentialThatNeverExpiresIsNeverRenewed() throws Exception {
        Path f = file("hq-agent01.old\nissued-at=2026-01-01T00:00:00Z\nexpires-at=never\n");
        CredentialRenewal renewal = renewal(f);
        clock.now = T0.plus(Duration.ofDays(10_000));

        assertThat(renewal.step()).isEmpty();
        assertThat(presented).isEmpty();
    }
}
