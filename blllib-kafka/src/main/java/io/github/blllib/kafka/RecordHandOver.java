package io.github.blllib.kafka;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The record values polled for one run and not yet read by it: the poll thread adds, the run's
 * source reads them in order, waiting while none is there. {@link #end()} stops admitting input:
 * the run reads nothing more, even what is still queued. {@link #finish()} ends the input after
 * what is queued: the poll thread calls it when the topics idle, since the engine tops its stages
 * up from the input before handing outputs over, so a run whose input only paused would hold its
 * last outputs until more records came. Only the poll thread can tell that the topics idle: the
 * run waiting for a value can also mean the poll thread is busy or starved of CPU.
 *
 * <p>A read that takes the queue below the read-ahead tells {@code drained}, so that the poll
 * thread, which pauses every partition while the queue holds the read-ahead, resumes them at once
 * rather than after its poll's timeout.
 */
final class RecordHandOver implements Iterable<Object> {

	/** Stands for a record whose value is null (a tombstone), which the run's source drops. */
	private static final Object NULL_VALUE = new Object();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final ArrayDeque<Object> values = new ArrayDeque<>();

	/** No value will be read any more. */
	private boolean ended;

	/** No value will be added any more: the input ends once the queued ones are read. */
	private boolean finished;

	private boolean iterated;

	private final int readAhead;

	/** Told, on the run's thread, when a read takes the queue below {@link #readAhead}. */
	private final Runnable drained;

	RecordHandOver(int readAhead, Runnable drained) {
		this.readAhead = readAhead;
		this.drained = drained;
	}

	/** Poll thread; ignored once the input is finished or ended. */
	void add(Object value) {
		this.lock.lock();
		try {
			if (this.finished || this.ended) {
				return;
			}
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

	/** Ends the input after the values queued: what the poll thread adds from now on is not read. */
	void finish() {
		this.lock.lock();
		try {
			this.finished = true;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether {@link #finish()} or {@link #end()} was called. */
	boolean isFinished() {
		this.lock.lock();
		try {
			return this.finished || this.ended;
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
				Object value;
				boolean crossed;
				lock.lock();
				try {
					crossed = values.size() == readAhead;
					value = values.poll();
				}
				finally {
					lock.unlock();
				}
				if (crossed) {
					drained.run();
				}
				return (value != NULL_VALUE) ? value : null;
			}

		};
	}

	/** Whether a value is there to read, waiting for one; false once ended, finished and read, or interrupted. */
	private boolean awaitValue() {
		this.lock.lock();
		try {
			while (this.values.isEmpty() && !this.ended) {
				if (this.finished) {
					this.ended = true;
					break;
				}
				this.changed.await();
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
