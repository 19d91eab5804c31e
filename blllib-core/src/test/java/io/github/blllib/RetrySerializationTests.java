package io.github.blllib;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetrySerializationTests {

	@Test
	void aRetryTravelsToAnotherJvmWithEverySetting() throws Exception {
		Retry retry = Retry.maxRetries(3)
			.delay(Duration.ofMillis(10))
			.multiplier(2)
			.maxDelay(Duration.ofMillis(30))
			.includes(IOException.class)
			.excludes(java.io.FileNotFoundException.class);

		Retry copy = roundTrip(retry);

		assertThat(copy.toString()).isEqualTo(retry.toString());
		assertThat(copy.maxRetries()).isEqualTo(3);
		assertThat(copy.delayBefore(2)).isEqualTo(Duration.ofMillis(20));
		assertThat(copy.delayBefore(3)).isEqualTo(Duration.ofMillis(30));
		assertThat(copy.retries(new IOException(), 1)).isTrue();
		assertThat(copy.retries(new java.io.FileNotFoundException(), 1)).isFalse();
		assertThat(copy.retries(new IllegalStateException(), 1)).isFalse();
	}

	private static Retry roundTrip(Retry retry) throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(retry);
		}
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
			return (Retry) in.readObject();
		}
	}

}
