package io.github.blllib;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The engine's running totals for one stage; written per chunk of work, read by metrics. */
final class StageCounters implements StageStatistics {

	private final StageSpec<?, ?> spec;

	private volatile int inFlight;

	private final LongAdder succeeded = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder dropped = new LongAdder();

	private final LongAdder nanos = new LongAdder();

	private final AtomicInteger active = new AtomicInteger();

	StageCounters(StageSpec<?, ?> spec) {
		this.spec = spec;
	}

	void inFlight(int count) {
		this.inFlight = count;
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
		return this.inFlight;
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
	public long totalTimeNanos() {
		return this.nanos.sum();
	}

	@Override
	public int activeThreads() {
		return this.active.get();
	}

}
