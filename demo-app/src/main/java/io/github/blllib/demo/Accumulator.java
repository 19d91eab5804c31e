package io.github.blllib.demo;

import io.github.blllib.BlllibStage;
import io.github.blllib.Stage;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * The seed's {@code Accumulator}: the running total of its inputs. It keeps state, so it is
 * stateful ({@code "true"}, also the default) and runs in order on a thread of its own.
 * Prototype-scoped, so every pipeline that uses it starts again from zero. Its batch size is
 * set in application.yml ({@code blllib.stages.accumulator.batch-size}).
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
@BlllibStage(stateful = "true")
public class Accumulator implements Stage<Long, Long> {

	private long total;

	@Override
	public Long apply(Long input) {
		this.total += input;
		return this.total;
	}

}
