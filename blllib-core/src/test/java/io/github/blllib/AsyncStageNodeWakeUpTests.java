package io.github.blllib;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wake-up of a consumer that waits for an async stage: whichever call is its head when it
 * parks wakes it, also when the head it published before waiting completed meanwhile and was
 * dropped.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncStageNodeWakeUpTests {

	@Test
	void aConsumerThatHandedOnADroppedHeadAfterPublishingItIsWokenByTheNextHead() throws Exception {
		PendingCalls remote = new PendingCalls();
		RunState signals = new RunState("wake", false);
		AsyncStageNode node = new AsyncStageNode("wake", StageSpec.async("remote", remote).batchSize(4),
				new StageCounters("remote"), new ItemsThenNotReady(0, 1), signals, (item) -> {
				});
		ParkingConsumer consumer = new ParkingConsumer(node, signals, RunNode::pollWhileWaiting);
		try {
			assertThat(consumer.start()).isSameAs(RunNode.NOT_READY);
			// call 0 completes with null after it was published as the head waited for: the last
			// poll hands it on and finds call 1 not yet done
			remote.complete(0, null);
			assertThat(consumer.goOn()).isSameAs(RunNode.NOT_READY);
			remote.complete(1, 1);
			assertThat(consumer.awaitWoken()).as("woken by the completion of call 1").isTrue();
		}
		finally {
			consumer.stop();
		}
	}

}
