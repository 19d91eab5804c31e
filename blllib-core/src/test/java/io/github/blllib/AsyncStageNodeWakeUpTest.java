package io.github.blllib;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wake-up of a consumer that waits for an async stage: whichever call is its head when it
 * parks wakes it, also when the head it published before waiting completed meanwhile and was
 * dropped.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncStageNodeWakeUpTest {

	@Test
	void aConsumerThatHandedOnADroppedHeadAfterPublishingItIsWokenByTheNextHead() throws Exception {
		PendingCalls remote = new PendingCalls();
		RunSignals signals = new RunSignals();
		AsyncStageNode node = new AsyncStageNode("wake", StageSpec.async("remote", remote).batchSize(4),
				new StageCounters("remote"), new ItemsThenNotReady(0, 1), signals, (item) -> {
				});
		CountDownLatch waiting = new CountDownLatch(1);
		CountDownLatch headDropped = new CountDownLatch(1);
		CountDownLatch parkedOnNextHead = new CountDownLatch(1);
		CountDownLatch woken = new CountDownLatch(1);
		AtomicReference<Object> secondPoll = new AtomicReference<>();
		Thread consumer = new Thread(() -> {
			assertThat(node.poll()).isSameAs(RunNode.NOT_READY);
			node.beforeWait();
			signals.consumerWaits();
			waiting.countDown();
			await(headDropped);
			// call 0 completed with null after it was published as the head waited for; its
			// wake-up, unless the latch's own wait took it, is spent here, and the poll hands call 0
			// on and finds call 1 not yet done
			LockSupport.parkNanos(1);
			secondPoll.set(node.poll());
			parkedOnNextHead.countDown();
			LockSupport.park();
			if (!Thread.currentThread().isInterrupted()) {
				woken.countDown();
			}
		}, "consumer");
		consumer.start();
		try {
			assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
			remote.complete(0, null);
			headDropped.countDown();
			assertThat(parkedOnNextHead.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(secondPoll.get()).isSameAs(RunNode.NOT_READY);
			remote.complete(1, 1);
			assertThat(woken.await(10, TimeUnit.SECONDS)).as("woken by the completion of call 1").isTrue();
		}
		finally {
			consumer.interrupt();
			consumer.join();
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
