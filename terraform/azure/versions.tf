terraform {
  required_version = ">= 1.5.0"

  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
      # 4.43 upgraded Event Grid to API version 2025-02-15, with which system topic subscriptions can
      # deliver with the topic's system-assigned identity (older 4.x releases are refused by Azure).
      version = "~> 4.43"
    }
  }
}

provider "azurerm" {
  features {}

  # null: ARM_SUBSCRIPTION_ID (azurerm 4.x needs one of the two).
  subscription_id = var.subscription_id
}
