// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./AccessRoles.sol";

/// Test fixture after seed 001: manifests are committed, then activated; governance can pause.
contract ManifestDispatcher is AccessRoles {
    bytes32 public constant GOVERNANCE_ROLE = keccak256("GOVERNANCE_ROLE");
    bytes32 public constant EMERGENCY_ROLE = keccak256("EMERGENCY_ROLE");

    bytes32 public activeRoot;
    bytes32 public pendingRoot;
    uint256 public epoch;
    bool public paused;

    event Committed(bytes32 indexed root, uint256 indexed epoch, uint256 eta);
    event Activated(bytes32 indexed root, uint256 indexed epoch);
    event PausedSet(bool paused, address indexed by);
    event CodehashMismatch(bytes4 selector, bytes32 want, bytes32 got);

    constructor() {
        _grant(DEFAULT_ADMIN_ROLE, msg.sender);
        _grant(GOVERNANCE_ROLE, msg.sender);
        _grant(EMERGENCY_ROLE, msg.sender);
    }

    function commitRoot(bytes32 root) external onlyRole(GOVERNANCE_ROLE) {
        require(!paused, "ManifestDispatcher: paused");
        pendingRoot = root;
        emit Committed(root, epoch + 1, block.timestamp);
    }

    function activateCommittedRoot() external onlyRole(GOVERNANCE_ROLE) {
        require(!paused, "ManifestDispatcher: paused");
        require(pendingRoot != bytes32(0), "ManifestDispatcher: nothing pending");
        activeRoot = pendingRoot;
        pendingRoot = bytes32(0);
        epoch += 1;
        emit Activated(activeRoot, epoch);
    }

    function reportCodehash(bytes4 selector, bytes32 want, bytes32 got) external onlyRole(GOVERNANCE_ROLE) {
        emit CodehashMismatch(selector, want, got);
    }

    function pause() external onlyRole(EMERGENCY_ROLE) {
        require(!paused, "already paused");
        paused = true;
        emit PausedSet(true, msg.sender);
    }

    function unpause() external onlyRole(GOVERNANCE_ROLE) {
        require(paused, "not paused");
        paused = false;
        emit PausedSet(false, msg.sender);
    }
}
