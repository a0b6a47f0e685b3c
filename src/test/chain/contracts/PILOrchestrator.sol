// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./AccessRoles.sol";

/// Test fixture after seed 003: the orchestrator of the privacy layer, paused by a guardian.
contract PILOrchestrator is AccessRoles {
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    bytes32 public constant RELAYER_ROLE = keccak256("RELAYER_ROLE");

    bool private pausedState;

    event Paused(address account);
    event Unpaused(address account);

    constructor() {
        _grant(DEFAULT_ADMIN_ROLE, msg.sender);
        _grant(PAUSER_ROLE, msg.sender);
    }

    function isPaused() external view returns (bool) {
        return pausedState;
    }

    function pause() external onlyRole(PAUSER_ROLE) {
        require(!pausedState, "already paused");
        pausedState = true;
        emit Paused(msg.sender);
    }

    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        require(pausedState, "not paused");
        pausedState = false;
        emit Unpaused(msg.sender);
    }
}
