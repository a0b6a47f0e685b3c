package dev.firebreak.contract;

/** The chat contract on the real Bolt app in HTTP mode behind the operations server, sent requests signed as Slack signs them. */
class SlackHttpModeContractTest extends ChatContract {

    @Override
    ChatDriver connect(ContractEnvironment environment) {
        return new SlackDriver(environment, SlackDriver.Transport.HTTP);
    }
}
