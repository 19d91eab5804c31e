package io.github.blllib;

import java.lang.ref.Cleaner;
import java.util.List;

/**
 * What a run holds that must be given back however it ends: its chain's threads, its claims
 * on stateful stage instances and its place as its pipeline's open run. Kept apart from the
 * {@link OrderedRun} itself so that a run abandoned without being closed (never exhausted,
 * never closed, no longer referenced) is released when it becomes unreachable: it is
 * registered with a {@link Cleaner} and holds nothing that leads back to the run.
 */
final class RunResources implements Runnable {

	/** One daemon thread for every run of the JVM, named by the JDK ("Cleaner-n"). */
	private static final Cleaner cleaner = Cleaner.create();

	private final RunParts parts;

	private final RunSignals signals;

	private volatile RunChain chain;

	private volatile List<Object> claimedStages = List.of();

	private Cleaner.Cleanable cleanable;

	/** How the run ended, as its consumer saw it; null until then. */
	private volatile RunOutcome outcome;

	RunResources(RunParts parts, RunSignals signals) {
		this.parts = parts;
		this.signals = signals;
	}

	/** Releases these resources when {@code run} becomes unreachable without being closed. */
	void releaseWhenUnreachable(Object run) {
		this.cleanable = cleaner.register(run, this);
	}

	void claimed(List<Object> claimedStages) {
		this.claimedStages = claimedStages;
	}

	void started(RunChain chain) {
		this.chain = chain;
	}

	/** Records how the run ended, unless a close came first. */
	void ended(RunOutcome outcome) {
		if (this.outcome == null) {
			this.outcome = outcome;
		}
	}

	RunChain chain() {
		return this.chain;
	}

	/**
	 * Stops the chain's stages and waits for their threads.
	 * @return whether the current thread was interrupted meanwhile
	 */
	boolean stopChain() {
		RunChain chain = this.chain;
		return chain != null && chain.stop();
	}

	/** Gives back the claims and the pipeline's open-run place; the run's last step. */
	void release() {
		this.parts.counters().forEach((counters) -> counters.inFlight(0));
		StatefulStageClaims.release(this.claimedStages);
		RunOutcome outcome = (this.outcome != null) ? this.outcome : RunOutcome.CLOSED;
		this.parts.events().runEnded(this.signals, outcome, this.chain != null);
		this.cleanable.clean();
	}

	/** The run became unreachable, or was closed and this is the cleaner's deregistration. */
	@Override
	public void run() {
		if (this.signals.close()) {
			stopChain();
			release();
		}
	}

}
