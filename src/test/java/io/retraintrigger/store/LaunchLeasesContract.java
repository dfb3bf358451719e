package io.retraintrigger.store;

import io.retraintrigger.model.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of every {@link LaunchLeases} adapter: one sender at a time per pending launch. Each adapter runs it as a nested class (H2, PostgreSQL, dynalite).
 */
public abstract class LaunchLeasesContract extends StateContractFixtures {

    /** Of replicas that find one PENDING launch, one claims its sending; again only after the lease. */
    @Test
    void aPendingLaunchIsClaimedByOneSenderAtATime() throws Exception {
        String p = uniq("claim-launch");
        String id = newId();
        steps.coordinate(p, T, view -> launchEffects(view, id, T));
        Instant until = T.plusSeconds(120);
        List<Object> claims = runConcurrently(8, i -> leases.claimLaunch(id, "sender-" + i, T, until));
        assertEquals(1, claims.stream().filter(Boolean.TRUE::equals).count());
        assertFalse(leases.claimLaunch(id, "late", T.plusSeconds(119), T.plusSeconds(300)), "the lease still runs");
        assertTrue(leases.claimLaunch(id, "next", until, until.plusSeconds(120)), "the lease ended");
        decisionLog.updateLaunch(id, Outcome.LAUNCHED, List.of("sent"), pendingLaunch(1).submitted("exec-1", T));
        assertFalse(leases.claimLaunch(id, "after", T.plus(Duration.ofDays(1)), T.plus(Duration.ofDays(2))), "not pending any more");
        assertFalse(leases.claimLaunch(newId(), "unknown", T, until), "unknown decision");
    }

    /** A sender that renews its lease keeps the launch from every other claimant; only its holder can renew it. */
    @Test
    void onlyTheHolderRenewsASendLease() {
        String p = uniq("renew-launch");
        String id = newId();
        steps.coordinate(p, T, view -> launchEffects(view, id, T));
        assertTrue(leases.claimLaunch(id, "a", T, T.plusSeconds(120)));
        assertTrue(leases.renewLaunch(id, "a", T.plusSeconds(300)), "the holder renews");
        assertFalse(leases.renewLaunch(id, "b", T.plusSeconds(900)), "another sender cannot");
        assertFalse(leases.claimLaunch(id, "b", T.plusSeconds(200), T.plusSeconds(320)), "renewed: the lease runs past the first end");
        assertTrue(leases.claimLaunch(id, "b", T.plusSeconds(300), T.plusSeconds(420)), "the renewed lease ended");
        assertFalse(leases.renewLaunch(id, "a", T.plusSeconds(600)), "lost: the old holder cannot renew it back");
        decisionLog.updateLaunch(id, Outcome.LAUNCHED, List.of("sent"), pendingLaunch(1).submitted("exec-r", T));
        assertFalse(leases.renewLaunch(id, "b", T.plusSeconds(600)), "not pending any more");
        assertFalse(leases.renewLaunch(newId(), "b", T.plusSeconds(600)), "unknown decision");
    }
}
