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

	private final RunState state;

	private volatile RunChain chain;

	/** Whether the close that won stopped the chain; that closer's thread only. */
	private boolean chainStopped;

	private volatile List<Object> claimedStages = List.of();

	private Cleaner.Cleanable cleanable;

	RunResources(RunParts parts, RunState state) {
		this.parts = parts;
		this.state = state;
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

	RunChain chain() {
		return this.chain;
	}

	/**
	 * Stops the chain's stages, once started, and waits for their threads; the close that won
	 * calls it again once the consumer's pull is over, for a chain started meanwhile.
	 * @return whether the current thread was interrupted meanwhile
	 */
	boolean stopChain() {
		RunChain chain = this.chain;
		if (chain == null || this.chainStopped) {
			return false;
		}
		this.chainStopped = true;
		return chain.stop();
	}

	/** Gives back the claims and the pipeline's open-run place; the run's last step. */
	void release() {
		this.parts.counters().forEach((counters) -> counters.inFlight(0));
		StatefulStageClaims.release(this.claimedStages);
		this.parts.events().runEnded(this.state, this.state.outcome(), this.state.isStarted());
		this.state.closed();
		this.cleanable.clean();
	}

	/** The run became unreachable, or was closed and this is the cleaner's deregistration. */
	@Override
	public void run() {
		if (this.state.beginClose()) {
			stopChain();
			release();
		}
	}

}
