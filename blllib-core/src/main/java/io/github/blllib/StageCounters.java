package io.github.blllib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's running totals for one stage, read by metrics from any thread. Parallel stages
 * add to them once per chunk of work; an in-master stage's consuming thread publishes them now
 * and then (see {@link InMasterChain}), with its time estimated from sampled calls.
 */
final class StageCounters implements StageStatistics {

	private static final VarHandle IN_FLIGHT;

	static {
		try {
			IN_FLIGHT = MethodHandles.lookup().findVarHandle(StageCounters.class, "inFlight", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final String stage;

	private int inFlight;

	private final LongAdder succeeded = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder dropped = new LongAdder();

	private final LongAdder skipped = new LongAdder();

	private final LongAdder retries = new LongAdder();

	private final LongAdder timeouts = new LongAdder();

	private final LongAdder permitsTaken = new LongAdder();

	private final LongAdder permitWaitNanos = new LongAdder();

	private final LongAdder nanos = new LongAdder();

	private final AtomicInteger active = new AtomicInteger();

	private final LongAdder masterCalls = new LongAdder();

	private final LongAdder masterTimedCalls = new LongAdder();

	private final LongAdder masterTimedNanos = new LongAdder();

	StageCounters(String stage) {
		this.stage = stage;
	}

	/** Set by the consuming thread only. */
	void inFlight(int count) {
		IN_FLIGHT.setRelease(this, count);
	}

	void finished(long succeeded, long dropped, long failed, long nanos) {
		if (succeeded != 0) {
			this.succeeded.add(succeeded);
		}
		if (dropped != 0) {
			this.dropped.add(dropped);
		}
		if (failed != 0) {
			this.failed.add(failed);
		}
		this.nanos.add(nanos);
	}

	/**
	 * Adds what an in-master stage counted since its last publication: calls made, and of those,
	 * calls that dropped their item and calls that threw.
	 */
	void addMasterCounts(long calls, long dropped, long failed, long skipped) {
		this.masterCalls.add(calls);
		finished(calls - dropped - failed, dropped - skipped, failed, 0);
		if (skipped != 0) {
			this.skipped.add(skipped);
		}
	}

	/** Records a timed in-master call. */
	void masterCallTimed(long nanos) {
		this.masterTimedNanos.add(nanos);
		this.masterTimedCalls.increment();
	}

	/** A call failed and its item was skipped. */
	void itemSkipped() {
		this.skipped.increment();
	}

	/** A failed call is tried again. */
	void retried() {
		this.retries.increment();
	}

	/** A call took longer than the stage's timeout. */
	void timedOut() {
		this.timeouts.increment();
	}

	/** A call took a permit of the stage's rate limit, after waiting {@code nanos} for it. */
	void permitTaken(long waitedNanos) {
		this.permitsTaken.increment();
		if (waitedNanos != 0) {
			this.permitWaitNanos.add(waitedNanos);
		}
	}

	void threadStarted() {
		this.active.incrementAndGet();
	}

	void threadEnded() {
		this.active.decrementAndGet();
	}

	@Override
	public String stage() {
		return this.stage;
	}

	@Override
	public int inFlight() {
		return (int) IN_FLIGHT.getAcquire(this);
	}

	@Override
	public long succeeded() {
		return this.succeeded.sum();
	}

	@Override
	public long failed() {
		return this.failed.sum();
	}

	@Override
	public long dropped() {
		return this.dropped.sum();
	}

	@Override
	public long skipped() {
		return this.skipped.sum();
	}

	@Override
	public long retries() {
		return this.retries.sum();
	}

	@Override
	public long timeouts() {
		return this.timeouts.sum();
	}

	@Override
	public long permitsTaken() {
		return this.permitsTaken.sum();
	}

	@Override
	public long permitWaitNanos() {
		return this.permitWaitNanos.sum();
	}

	/**
	 * Time inside the stage. For an in-master stage it is estimated from the sampled calls, scaled
	 * to all calls.
	 */
	@Override
	public long totalTimeNanos() {
		long parallel = this.nanos.sum();
		long timedCalls = this.masterTimedCalls.sum();
		if (timedCalls == 0) {
			return parallel;
		}
		double perCall = (double) this.masterTimedNanos.sum() / timedCalls;
		return parallel + Math.round(perCall * this.masterCalls.sum());
	}

	@Override
	public int activeThreads() {
		return this.active.get();
	}

}
