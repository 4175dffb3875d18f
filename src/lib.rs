//! flowgate's core as a library: collections and records, users, roles and the ACL, workflows, their
//! engine and queue, the custom action trigger, and the store under them. None of it knows HTTP.
//!
//! The doors are `http` (the HTTP server: routing, the envelope, middleware, the admin page's files) and `cli`
//! (the commands of the `flowgate` binary, which starts the HTTP door). ARCHITECTURE.md has the map.

pub mod acl;
pub mod action;
pub mod app;
pub mod auth;
pub mod bridge;
pub mod collections;
pub mod config;
pub mod demo;
pub mod error;
pub mod gencache;
pub mod metrics;
pub mod openapi;
pub mod ops;
pub mod reply;
pub mod store;
pub mod time;
pub mod trigger;
pub mod workflow;

pub mod cli;
pub mod http;
