package dev.rollcall.projection;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once every projection's live consumer runs and owns its partitions; says each one's lag and any rebuild. */
@Readiness
@ApplicationScoped
public class ProjectionReadiness implements HealthCheck {

    private final ProjectionSupervisor supervisor;

    public ProjectionReadiness(ProjectionSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("projections").status(supervisor.ready());
        for (ProjectionSupervisor.ProjectionStatus s : supervisor.statuses()) {
            if (s.live() != null) {
                b.withData(s.projection() + " live generation", s.live().generation())
                        .withData(s.projection() + " lag", s.live().lag());
            }
            if (s.building() != null) {
                b.withData(s.projection() + " rebuilding generation", s.building().generation())
                        .withData(s.projection() + " rebuild", s.building().folded() + " of " + s.building().total() + " events");
            }
        }
        if (!supervisor.ready()) {
            b.withData("not ready", String.join(", ", supervisor.notReady()));
        }
        return b.build();
    }
}
