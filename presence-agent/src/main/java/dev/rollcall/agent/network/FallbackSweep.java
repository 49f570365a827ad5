package dev.rollcall.agent.network;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.List;

/**
 * {@code --method auto}: the preferred sweep (arp-scan) until it fails once, e.g. because the agent runs
 * unprivileged; from then on, for the rest of the run, the fallback (the kernel neighbour table).
 */
public final class FallbackSweep implements DeviceSweep {

    private static final Logger LOG = Logger.getLogger(FallbackSweep.class);

    private final DeviceSweep preferred;
    private final DeviceSweep fallback;
    private volatile boolean fellBack;

    public FallbackSweep(DeviceSweep preferred, DeviceSweep fallback) {
        this.preferred = preferred;
        this.fallback = fallback;
    }

    @Override
    public List<Sighting> scan() throws IOException, InterruptedException {
        if (!fellBack) {
            try {
                return preferred.scan();
            } catch (IOException e) {
                fellBack = true;
                LOG.warnf("%s cannot scan (%s); using %s from now on", preferred.describe(), e.getMessage(),
                        fallback.describe());
            }
        }
        return fallback.scan();
    }

    public boolean fellBack() {
        return fellBack;
    }

    @Override
    public String describe() {
        return fellBack ? fallback.describe() : preferred.describe() + ", else " + fallback.describe();
    }
}
