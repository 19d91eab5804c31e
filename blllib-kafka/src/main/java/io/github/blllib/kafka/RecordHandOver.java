package io.github.blllib.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The record values polled for one run and not yet read by it: the poll thread adds, the run's
 * source reads them in order, waiting while none is there. {@link #end()} stops admitting input:
 * the run reads nothing more, even what is still queued. The input also ends when no value came
 * for the idle timeout: the engine tops its stages up from the input before handing outputs
 * over, so a run whose input only paused would hold its last outputs until more records came.
 */
final class RecordHandOver implements Iterable<Object> {

	/** Stands for a record whose value is null (a tombstone), which the run's source drops. */
	private static final Object NULL_VALUE = new Object();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final ArrayDeque<Object> values = new ArrayDeque<>();

	private boolean ended;

	private boolean iterated;

	private final long idleNanos;

	RecordHandOver(Duration idleTimeout) {
		this.idleNanos = idleTimeout.toNanos();
	}

	/** Poll thread. */
	void add(Object value) {
		this.lock.lock();
		try {
			this.values.add((value != null) ? value : NULL_VALUE);
			this.changed.signal();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The values added and not yet read: the run's read-ahead. */
	int size() {
		this.lock.lock();
		try {
			return this.values.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	void end() {
		this.lock.lock();
		try {
			this.ended = true;
			this.values.clear();
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public Iterator<Object> iterator() {
		this.lock.lock();
		try {
			if (this.iterated) {
				throw new IllegalStateException("The records of a run are read once");
			}
			this.iterated = true;
		}
		finally {
			this.lock.unlock();
		}
		return new Iterator<>() {

			@Override
			public boolean hasNext() {
				return awaitValue();
			}

			@Override
			public Object next() {
				if (!awaitValue()) {
					throw new NoSuchElementException("The run's input has ended");
				}
				lock.lock();
				try {
					Object value = values.poll();
					return (value != NULL_VALUE) ? value : null;
				}
				finally {
					lock.unlock();
				}
			}

		};
	}

	/** Whether a value is there to read, waiting for one; false once ended, idle or interrupted. */
	private boolean awaitValue() {
		this.lock.lock();
		try {
			long idle = this.idleNanos;
			while (this.values.isEmpty() && !this.ended) {
				if (idle <= 0) {
					this.ended = true;
					break;
				}
				idle = this.changed.awaitNanos(idle);
			}
			return !this.ended;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		finally {
			this.lock.unlock();
		}
	}

}
