package dev.rollcall.ingest;

import jakarta.enterprise.context.ApplicationScoped;

/** The replica's one enrollment throttle, from {@code ingest.enrollment.attempts-*}. */
@ApplicationScoped
public class EnrollmentAttempts {

    private final EnrollmentThrottle throttle;

    public EnrollmentAttempts(IngestConfig config) {
        IngestConfig.Enrollment e = config.enrollment();
        this.throttle = new EnrollmentThrottle(e.attemptsPerAddress(), e.attemptsOverall(), e.attemptsWindow());
    }

    EnrollmentThrottle throttle() {
        return throttle;
    }
}
