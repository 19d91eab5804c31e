package io.github.blllib.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The blllib demo: runs the seed's example and a few other pipelines on start-up, then a longer
 * job in the background while Actuator keeps serving over HTTP. With
 * {@code demo.exit-after-run=true} it exits once the jobs are done, with exit code 0 when they
 * all succeeded.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DemoApplication {

	public static void main(String[] args) {
		ConfigurableApplicationContext context = SpringApplication.run(DemoApplication.class, args);
		if (context.getBean(DemoProperties.class).exitAfterRun()) {
			System.exit(SpringApplication.exit(context));
		}
	}

}
