package io.github.blllib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's running totals for one stage, read by metrics from any thread. Parallel stages
 * add to them once per chunk of work. An in-master stage is counted by the consuming thread
 * alone, in plain fields it publishes here now and then (see {@link InMasterChain}), and its time
 * is sampled: reading the clock can cost more than a cheap stage's call, so the sampling interval
 * follows the last timed call's duration, from every call for slow stages to one in
 * {@value #CHEAP_CALL_INTERVAL} for cheap ones.
 */
final class StageCounters implements StageStatistics {

	/** Calls between two timed calls of a stage whose calls take under a microsecond. */
	static final int CHEAP_CALL_INTERVAL = 1024;

	/** Calls between two timed calls of a stage whose calls take 1 to 100 microseconds. */
	static final int MEDIUM_CALL_INTERVAL = 16;

	private static final long MICROSECOND = 1_000;

	private static final VarHandle MASTER_CALLS;

	private static final VarHandle MASTER_DROPPED;

	private static final VarHandle MASTER_FAILED;

	private static final VarHandle MASTER_TIMED_CALLS;

	private static final VarHandle MASTER_TIMED_NANOS;

	private static final VarHandle IN_FLIGHT;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			MASTER_CALLS = lookup.findVarHandle(StageCounters.class, "masterCalls", long.class);
			MASTER_DROPPED = lookup.findVarHandle(StageCounters.class, "masterDropped", long.class);
			MASTER_FAILED = lookup.findVarHandle(StageCounters.class, "masterFailed", long.class);
			MASTER_TIMED_CALLS = lookup.findVarHandle(StageCounters.class, "masterTimedCalls", long.class);
			MASTER_TIMED_NANOS = lookup.findVarHandle(StageCounters.class, "masterTimedNanos", long.class);
			IN_FLIGHT = lookup.findVarHandle(StageCounters.class, "inFlight", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final StageSpec<?, ?> spec;

	private int inFlight;

	private final LongAdder succeeded = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder dropped = new LongAdder();

	private final LongAdder nanos = new LongAdder();

	private final AtomicInteger active = new AtomicInteger();

	private long masterCalls;

	private long masterDropped;

	private long masterFailed;

	private long masterTimedCalls;

	private long masterTimedNanos;

	StageCounters(StageSpec<?, ?> spec) {
		this.spec = spec;
	}

	/** Set by the consuming thread only. */
	void inFlight(int count) {
		IN_FLIGHT.setRelease(this, count);
	}

	void finished(int succeeded, int dropped, int failed, long nanos) {
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
	 * Publishes the counts an in-master stage keeps in plain fields of the consuming thread, which
	 * alone calls this.
	 */
	void masterCounts(long calls, long dropped, long failed) {
		MASTER_CALLS.setOpaque(this, calls);
		MASTER_DROPPED.setOpaque(this, dropped);
		MASTER_FAILED.setOpaque(this, failed);
	}

	/**
	 * Records a timed in-master call. Consuming thread only.
	 * @return how many calls later the next call should be timed
	 */
	int masterCallTimed(long nanos) {
		MASTER_TIMED_NANOS.setOpaque(this, this.masterTimedNanos + nanos);
		MASTER_TIMED_CALLS.setOpaque(this, this.masterTimedCalls + 1);
		if (nanos < MICROSECOND) {
			return CHEAP_CALL_INTERVAL;
		}
		return (nanos < 100 * MICROSECOND) ? MEDIUM_CALL_INTERVAL : 1;
	}

	void threadStarted() {
		this.active.incrementAndGet();
	}

	void threadEnded() {
		this.active.decrementAndGet();
	}

	@Override
	public String stage() {
		return this.spec.name();
	}

	@Override
	public StageSpec<?, ?> spec() {
		return this.spec;
	}

	@Override
	public int inFlight() {
		return (int) IN_FLIGHT.getAcquire(this);
	}

	@Override
	public long succeeded() {
		long masterSucceeded = (long) MASTER_CALLS.getOpaque(this) - (long) MASTER_DROPPED.getOpaque(this)
				- (long) MASTER_FAILED.getOpaque(this);
		return this.succeeded.sum() + masterSucceeded;
	}

	@Override
	public long failed() {
		return this.failed.sum() + (long) MASTER_FAILED.getOpaque(this);
	}

	@Override
	public long dropped() {
		return this.dropped.sum() + (long) MASTER_DROPPED.getOpaque(this);
	}

	/**
	 * Time inside the stage. For an in-master stage it is estimated from the sampled calls, scaled
	 * to all calls.
	 */
	@Override
	public long totalTimeNanos() {
		long parallel = this.nanos.sum();
		long timedCalls = (long) MASTER_TIMED_CALLS.getOpaque(this);
		if (timedCalls == 0) {
			return parallel;
		}
		long masterCalls = (long) MASTER_CALLS.getOpaque(this);
		double perCall = (double) (long) MASTER_TIMED_NANOS.getOpaque(this) / timedCalls;
		return parallel + Math.round(perCall * masterCalls);
	}

	@Override
	public int activeThreads() {
		return this.active.get();
	}

}
