package io.github.blllib;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A run's assembled chain and the threads it uses: the source, the last node the consumer polls
 * (or, when no stage runs off the consuming thread, the single {@link InMasterChain} after the
 * source), the drainer groups of its off-thread stages and the dedicated executors of its
 * stateful stages.
 *
 * @param source the run's input
 * @param inMaster the chain after the source when no stage runs off the consuming thread, else null
 * @param last the node the consumer polls
 * @param inMasterChains every in-master chain of the run, whose counts the consumer publishes
 * @param drainerGroups every drainer group of the run
 * @param dedicatedExecutors the executor of each stateful stage's group
 * @param dedicatedGroups the groups run by those executors, in the same order
 * @param asyncStages the nodes of the async stages, whose outstanding futures a stop cancels
 */
record RunChain(SourceNode source, InMasterChain inMaster, RunNode last, List<InMasterChain> inMasterChains,
		List<DrainerGroup> drainerGroups, List<ExecutorService> dedicatedExecutors, List<DrainerGroup> dedicatedGroups,
		List<AsyncStageNode> asyncStages) {

	/** Longest wait for a dedicated thread to end once its executor has terminated. */
	private static final long THREAD_EXIT_MILLIS = 10_000;

	/**
	 * The run's position (SPEC §14) as the chain's state gives it: the origin of the output the
	 * consumer fetched but was not handed yet, if {@code fetched}, else the earliest origin held.
	 * Consuming thread.
	 */
	long position(boolean fetched) {
		if (this.inMaster != null) {
			return fetched ? this.inMaster.outputOrigin() : this.inMaster.heldOrigin();
		}
		return fetched ? this.last.handedOrigin() : this.last.heldOrigin();
	}

	/** Publishes the counts the consuming thread keeps alone. Consuming thread only. */
	void publishCounts() {
		this.inMasterChains.forEach(InMasterChain::publishCounts);
	}

	/** The off-thread stage calls executing now. */
	List<StageCall> runningCalls(String pipeline) {
		return this.drainerGroups.stream().flatMap((group) -> group.runningCalls(pipeline).stream()).toList();
	}

	/**
	 * Runs available work of the stateless and window stages on the calling consumer, which is
	 * itself a pool worker (see {@link DrainerGroup#help()}).
	 * @return whether there was any
	 */
	boolean help() {
		boolean worked = false;
		for (DrainerGroup group : this.drainerGroups) {
			if (!this.dedicatedGroups.contains(group)) {
				worked |= group.help();
			}
		}
		return worked;
	}

	/** Whether the current thread runs one of this chain's off-thread stages. */
	boolean isStageThread() {
		return this.drainerGroups.stream().anyMatch(DrainerGroup::isCurrentThreadDrainer);
	}

	/**
	 * Cancels every off-thread stage and the async stages' outstanding futures, and waits until
	 * no other thread runs their code and the dedicated threads have ended (a stage thread that
	 * stops its own run does not wait for itself).
	 * @return whether the current thread was interrupted meanwhile
	 */
	boolean stop() {
		this.drainerGroups.forEach(DrainerGroup::cancel);
		this.asyncStages.forEach(AsyncStageNode::cancelOutstanding);
		boolean interrupted = false;
		for (DrainerGroup group : this.drainerGroups) {
			interrupted |= awaitUninterruptibly(group);
		}
		this.dedicatedExecutors.forEach(ExecutorService::shutdownNow);
		for (int i = 0; i < this.dedicatedExecutors.size(); i++) {
			DrainerGroup group = this.dedicatedGroups.get(i);
			if (!group.isCurrentThreadDrainer()) {
				interrupted |= awaitTermination(this.dedicatedExecutors.get(i));
				interrupted |= awaitExit(group.lastThread());
			}
		}
		return interrupted;
	}

	/**
	 * Waits for a dedicated thread to end: its executor terminates as the thread leaves its
	 * loop, just before the thread ends. Bounded, in case a custom executor keeps its thread.
	 */
	private static boolean awaitExit(Thread thread) {
		if (thread == null) {
			return false;
		}
		try {
			thread.join(THREAD_EXIT_MILLIS);
			return false;
		}
		catch (InterruptedException ex) {
			return true;
		}
	}

	private static boolean awaitUninterruptibly(DrainerGroup group) {
		boolean interrupted = false;
		while (true) {
			try {
				group.awaitDrainers();
				return interrupted;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
	}

	private static boolean awaitTermination(ExecutorService executor) {
		boolean interrupted = false;
		while (true) {
			try {
				if (executor.awaitTermination(1, TimeUnit.MINUTES)) {
					return interrupted;
				}
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
	}

}
