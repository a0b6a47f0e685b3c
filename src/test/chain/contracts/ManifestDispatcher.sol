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
    uint32 public etaGrace = 60;
    uint32 public maxBatchSize = 50;
    /// Seconds from a commit to its ETA; none unless a test sets one.
    uint256 public commitDelay;

    event Committed(bytes32 indexed root, uint256 indexed epoch, uint256 eta);
    event Activated(bytes32 indexed root, uint256 indexed epoch);
    event PausedSet(bool paused, address indexed by);
    event CodehashMismatch(bytes4 selector, bytes32 want, bytes32 got);
    event RoutesApplied(bytes32 indexed root, uint256 count);
    event SelectorRouted(bytes4 indexed selector, address indexed facet);
    event EtaGraceUpdated(uint32 etaGrace);
    event MaxBatchSizeUpdated(uint32 maxBatchSize);

    constructor() {
        _grant(DEFAULT_ADMIN_ROLE, msg.sender);
        _grant(GOVERNANCE_ROLE, msg.sender);
        _grant(EMERGENCY_ROLE, msg.sender);
    }

    function commitRoot(bytes32 root) external onlyRole(GOVERNANCE_ROLE) {
        require(!paused, "ManifestDispatcher: paused");
        pendingRoot = root;
        emit Committed(root, epoch + 1, block.timestamp + commitDelay);
    }

    function setCommitDelay(uint256 delay) external onlyRole(GOVERNANCE_ROLE) {
        commitDelay = delay;
    }

    /// Routes of the pending manifest; the real dispatcher also checks a Merkle proof per selector.
    function applyRoutes(bytes4[] calldata selectors, address[] calldata facets) external onlyRole(GOVERNANCE_ROLE) {
        require(pendingRoot != bytes32(0), "ManifestDispatcher: nothing pending");
        require(selectors.length == facets.length, "ManifestDispatcher: length mismatch");
        require(selectors.length <= maxBatchSize, "ManifestDispatcher: batch too large");
        for (uint256 i = 0; i < selectors.length; i++) emit SelectorRouted(selectors[i], facets[i]);
        emit RoutesApplied(pendingRoot, selectors.length);
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

    function setEtaGrace(uint32 _etaGrace) external onlyRole(GOVERNANCE_ROLE) {
        require(_etaGrace >= 30 && _etaGrace <= 300, "Invalid grace period");
        etaGrace = _etaGrace;
        emit EtaGraceUpdated(_etaGrace);
    }

    function setMaxBatchSize(uint32 _maxBatchSize) external onlyRole(GOVERNANCE_ROLE) {
        require(_maxBatchSize >= 10 && _maxBatchSize <= 100, "Invalid batch size");
        maxBatchSize = _maxBatchSize;
        emit MaxBatchSizeUpdated(_maxBatchSize);
    }
}
