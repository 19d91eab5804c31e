package io.github.blllib.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Lets other threads cut short the poll thread's wait in {@code poll} when it has work: outputs
 * to send, confirmations to commit.
 *
 * <p>Protocol. The poll thread sets {@code POLLING} just before it polls and, once its poll
 * returns or throws, takes the state back to {@code IDLE}. {@link #wake()} delivers
 * {@link Consumer#wakeup()} only after winning {@code POLLING -> WAKING}, and marks it
 * {@code WOKEN} once delivered; so at most one wakeup per poll, and none while the poll thread
 * is elsewhere. A poll that returned although it was woken (it took records first) leaves that
 * wakeup pending: the poll thread waits until it is {@code WOKEN} and absorbs it at once with a
 * zero poll, before any other blocking call. A rebalance callback runs inside poll: it first
 * {@link #leavePoll() leaves} the poll state, so no further wakeup arrives, and a wakeup already
 * delivered is absorbed by {@link #commitSync}, which retries the commit it interrupted.
 * Work that arrives while the poll thread is elsewhere is seen by the check it makes after
 * setting {@code POLLING}, and that poll does not wait.
 */
final class PollWakeup {

	private static final int IDLE = 0;

	private static final int POLLING = 1;

	private static final int WAKING = 2;

	private static final int WOKEN = 3;

	private final AtomicInteger state = new AtomicInteger(IDLE);

	private final Consumer<Object, Object> consumer;

	/** Poll thread only: a wakeup was delivered that no consumer call has thrown yet. */
	private boolean pending;

	PollWakeup(Consumer<Object, Object> consumer) {
		this.consumer = consumer;
	}

	/** Any thread: ends the poll thread's current poll, if it is in one. */
	void wake() {
		if (this.state.compareAndSet(POLLING, WAKING)) {
			this.consumer.wakeup();
			this.state.set(WOKEN);
		}
	}

	/**
	 * Poll thread: polls up to {@code timeout}, or not at all if {@code workWaiting} already holds;
	 * a wakeup ends the poll with the records it has, none if it threw.
	 */
	List<ConsumerRecord<Object, Object>> poll(Duration timeout, BooleanSupplier workWaiting) {
		List<ConsumerRecord<Object, Object>> records = new ArrayList<>();
		this.state.set(POLLING);
		try {
			this.consumer.poll(workWaiting.getAsBoolean() ? Duration.ZERO : timeout).forEach(records::add);
		}
		catch (WakeupException ex) {
			leavePoll();
			this.pending = false;
		}
		finally {
			leavePoll();
		}
		if (this.pending) {
			try {
				this.consumer.poll(Duration.ZERO).forEach(records::add);
			}
			catch (WakeupException ex) {
				this.pending = false;
			}
		}
		return records;
	}

	/** Poll thread: no wakeup is delivered from now until the next poll. */
	void leavePoll() {
		while (true) {
			int current = this.state.get();
			if (current == IDLE || (current == POLLING && this.state.compareAndSet(POLLING, IDLE))) {
				return;
			}
			if (current == WOKEN) {
				this.state.set(IDLE);
				this.pending = true;
				return;
			}
			Thread.onSpinWait();
		}
	}

	/** Poll thread: commits {@code offsets}, absorbing a wakeup delivered before. */
	void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
		try {
			this.consumer.commitSync(offsets);
		}
		catch (WakeupException ex) {
			this.pending = false;
			this.consumer.commitSync(offsets);
		}
	}

}
